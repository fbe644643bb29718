import type { ActorDb } from '../store/openDb.ts';

/**
 * The probe's scratch folders on one remote, noted on this device (`meta`,
 * `probe:{url}\n{folder}` → when) from before the MKCOL until the folder is
 * removed, so a folder a stopped worker left is removed by a later probe.
 */
export interface ProbeScratch {
  made(root: string): Promise<void>;
  removed(root: string): Promise<void>;
  /** Folders noted so long ago that no probe can still be using them. */
  leftovers(): Promise<string[]>;
}

/** Far longer than a probe runs; another worker of this device (an update) may be probing meanwhile. */
const abandonedAfterMs = 10 * 60 * 1000;

export function probeScratch(db: () => Promise<ActorDb>, url: string): ProbeScratch {
  const prefix = `probe:${url}\n`;
  return {
    async made(root) {
      await (await db()).put('meta', Date.now(), prefix + root);
    },
    async removed(root) {
      await (await db()).delete('meta', prefix + root);
    },
    async leftovers() {
      const store = (await db()).transaction('meta').store;
      const range = IDBKeyRange.bound(prefix, `${prefix}\uffff`);
      const old: string[] = [];
      for (let cursor = await store.openCursor(range); cursor; cursor = await cursor.continue()) {
        // Either way: a clock that jumped back leaves a note from the future.
        const age = typeof cursor.value === 'number' ? Math.abs(Date.now() - cursor.value) : 0;
        if (age > abandonedAfterMs) old.push(cursor.key.slice(prefix.length));
      }
      return old;
    },
  };
}
