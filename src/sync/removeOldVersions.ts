import type { ActorDb } from '../store/openDb.ts';
import { davRequest, unexpected } from '../webdav/davRequest.ts';
import { deleteCollection } from '../webdav/deleteCollection.ts';
import { readRemoteFile } from '../webdav/readRemoteFile.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { remotePaths } from './remotePaths.ts';
import { removableBelow, type VersionFile } from './versionFile.ts';

/** Versions one round removes at most: a migrated remote's thousands go over many rounds. */
const perRound = 32;

/**
 * Removes the versions a checkpoint made unneeded ([removal](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#removal)): those
 * below `removableBelow(head)`, from the checkpoint's `previous` on, oldest
 * first. Each gets its tombstone `gone.json` first, then loses its
 * `state.json` and claim file: the folder is never empty, so its number can
 * never be claimed again. Any device may do it (each step is idempotent);
 * how far this device got is kept in `meta`, so a removal cut short goes on
 * next round, and the next checkpoint this device writes starts above it.
 */
export async function removeOldVersions(
  remote: RemoteConfig,
  db: ActorDb,
  actorId: string,
  head: VersionFile,
): Promise<void> {
  const chain = head.chain;
  if (chain === undefined) return;
  const start = Math.max(chain.previous, await removedBelow(db, actorId));
  const bound = removableBelow(head);
  if (start >= bound) return;
  const from = await firstNotRemoved(remote, actorId, start, bound);
  const until = Math.min(bound, from + perRound);
  for (let n = from; n < until; n++) {
    const gone = remotePaths.versionGone(actorId, n);
    const response = await davRequest(remote, 'PUT', gone, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ gone: n, checkpoint: chain.base }),
    });
    if (!response.ok) throw unexpected('PUT', gone, response);
    await deleteCollection(remote, remotePaths.versionFile(actorId, n));
    await deleteCollection(remote, remotePaths.versionClaim(actorId, n));
    await db.put('meta', n + 1, marker(actorId));
  }
}

/**
 * Where removal has to go on, found in O(log n) reads instead of redoing
 * what other devices did: every device removes in order from a number below
 * which everything is removed, so a tombstone at k means every version
 * from `start` to k − 1 is removed too. The last tombstone found is
 * returned, as its DELETEs may not have finished.
 */
async function firstNotRemoved(
  remote: RemoteConfig,
  actorId: string,
  start: number,
  bound: number,
): Promise<number> {
  const tombstoned = async (n: number) =>
    (await readRemoteFile(remote, remotePaths.versionGone(actorId, n))) !== undefined;
  if (!(await tombstoned(start))) return start;
  let present = start;
  let missing = bound;
  while (missing - present > 1) {
    const middle = present + Math.floor((missing - present) / 2);
    if (await tombstoned(middle)) present = middle;
    else missing = middle;
  }
  return present;
}

/** The number below which this device removed every version of the actor (0: none). */
export async function removedBelow(db: ActorDb, actorId: string): Promise<number> {
  const done = await db.get('meta', marker(actorId));
  return typeof done === 'number' ? done : 0;
}

function marker(actorId: string): string {
  return `removed:${actorId}`;
}
