import { davRequest, unexpected } from '../webdav/davRequest.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { remotePaths } from './remotePaths.ts';

/**
 * MKCOL each collection in order, parents first. Called only after a write
 * answered 409/404 for a missing parent, so a round on an existing layout
 * costs no extra request. 405 means it exists already.
 */
export async function ensureCollections(
  remote: RemoteConfig,
  paths: readonly string[],
): Promise<void> {
  for (const path of paths) await makeCollection(remote, path);
}

/** True for the answers servers give a write whose parent collection is missing. */
export function parentMissing(response: Response): boolean {
  return response.status === 409 || response.status === 404;
}

/**
 * Makes an actor's collections (`{id}/`, `log/`, `v/`, `staging/`) before its
 * first version: a MOVE into a missing `v/` fails differently on every server
 * (207, 409, 500). Resolves true when `log/` was made just now, so it holds
 * nothing but what this device puts there.
 */
export async function ensureLayout(remote: RemoteConfig, actorId: string): Promise<boolean> {
  await makeCollection(remote, remotePaths.actor(actorId));
  const madeLog = await makeCollection(remote, remotePaths.log(actorId));
  await ensureCollections(remote, [
    remotePaths.versions(actorId),
    remotePaths.stagingRoot(actorId),
  ]);
  return madeLog;
}

/** MKCOL one collection; true when it was made just now, false when it was there (405). */
async function makeCollection(remote: RemoteConfig, path: string): Promise<boolean> {
  const response = await davRequest(remote, 'MKCOL', path);
  if (!response.ok && response.status !== 405) throw unexpected('MKCOL', path, response);
  return response.status === 201;
}
