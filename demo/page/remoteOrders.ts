import { listCollection, readRemoteFile } from './remoteDav.ts';

const versionName = /\/v\/(\d{12})\/?$/;

/** What the remote holds of one barista. */
export interface RemoteCount {
  version: number;
  orders: number;
}

/**
 * Counts the orders (tasks) in each barista's newest version on the remote:
 * PROPFIND the root to see which baristas have a folder, PROPFIND `{id}/v/`,
 * then read `v/{n}/state.json` of the highest n. A version is immutable once
 * claimed, so each is read once.
 */
export function remoteOrderCounter(browseUrl: string) {
  const counted = new Map<string, number>();
  const rootPath = new URL(browseUrl).pathname;

  const countOne = async (actorId: string): Promise<RemoteCount> => {
    const entries = (await listCollection(`${browseUrl}${actorId}/v/`)) ?? [];
    const numbers = entries
      .map((entry) => versionName.exec(entry.href)?.[1])
      .filter((n): n is string => n !== undefined);
    const head = numbers.sort().at(-1);
    if (head === undefined) return { version: 0, orders: 0 };
    let orders = counted.get(`${actorId}/${head}`);
    if (orders === undefined) {
      const text = await readRemoteFile(`${browseUrl}${actorId}/v/${head}/state.json`);
      const file = JSON.parse(text) as { state?: { tasks?: unknown } };
      orders = Array.isArray(file.state?.tasks) ? file.state.tasks.length : 0;
      counted.set(`${actorId}/${head}`, orders);
    }
    return { version: Number(head), orders };
  };

  return async function count(actorIds: readonly string[]): Promise<RemoteCount[]> {
    const root = (await listCollection(browseUrl)) ?? [];
    const present = new Set(
      root.map((entry) => entry.href.slice(rootPath.length).replace(/\/$/, '')),
    );
    return Promise.all(
      actorIds.map((id) =>
        present.has(id) ? countOne(id) : Promise.resolve({ version: 0, orders: 0 }),
      ),
    );
  };
}
