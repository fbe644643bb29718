import { remotePaths } from '../../src/sync/remotePaths.ts';
import { applyDelta, decodeStored } from '../../src/sync/storedVersion.ts';
import type { VersionFile } from '../../src/sync/versionFile.ts';
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
 * then read the head as the worker does (docs/PROTOCOL.md): its checkpoint
 * with the deltas after it applied. Versions are immutable once claimed, so
 * the last one read is kept and only newer deltas are fetched.
 */
export function remoteOrderCounter(browseUrl: string) {
  const known = new Map<string, VersionFile>();
  const rootPath = new URL(browseUrl).pathname;
  const stateFile = (actorId: string, n: number) =>
    `${browseUrl}${remotePaths.versionFile(actorId, n)}`;

  const readVersion = async (actorId: string, n: number): Promise<VersionFile> => {
    const stored = decodeStored(n, await readRemoteFile(stateFile(actorId, n)));
    if (stored.kind === 'checkpoint') return stored.version;
    const cached = known.get(actorId);
    const chainStart = cached?.chain?.base === stored.file.base && cached.version < n;
    let version = chainStart ? cached : await readVersion(actorId, stored.file.base);
    for (let k = version.version + 1; k < n; k++) {
      const between = decodeStored(k, await readRemoteFile(stateFile(actorId, k)));
      if (between.kind !== 'delta') throw new Error(`version ${k} is no delta`);
      version = applyDelta(version, between.file, between.bytes);
    }
    return applyDelta(version, stored.file, stored.bytes);
  };

  const countOne = async (actorId: string): Promise<RemoteCount> => {
    const entries = (await listCollection(`${browseUrl}${actorId}/v/`)) ?? [];
    const numbers = entries
      .map((entry) => versionName.exec(entry.href)?.[1])
      .filter((n): n is string => n !== undefined);
    const head = Number(numbers.sort().at(-1) ?? 0);
    if (head === 0) return { version: 0, orders: 0 };
    let version = known.get(actorId);
    if (version?.version !== head) {
      version = await readVersion(actorId, head);
      known.set(actorId, version);
    }
    const tasks = version.state['tasks'];
    return { version: head, orders: Array.isArray(tasks) ? tasks.length : 0 };
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
