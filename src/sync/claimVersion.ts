import { isUnanswered } from '../errors/SyncError.ts';
import { davRequest, unexpected } from '../webdav/davRequest.ts';
import { deleteCollection } from '../webdav/deleteCollection.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { ensureCollections, parentMissing } from './ensureCollections.ts';
import { readVersion } from './readHead.ts';
import { remotePaths } from './remotePaths.ts';
import type { VersionFile } from './versionFile.ts';

/**
 * Claims `v/{n}` for `next` (DESIGN.md §6.4): MKCOL a staging collection,
 * PUT the version into it, MOVE it onto `v/{n}/` with `Overwrite: F`. A
 * non-empty collection cannot be moved onto an existing name on any server
 * measured, so exactly one claimant wins. Only 201/204 is taken as a win;
 * any other answer, or none, is settled by reading `v/{n}` back: our nonce
 * means we won and lost only the acknowledgement.
 */
export async function claimVersion(
  remote: RemoteConfig,
  actorId: string,
  deviceId: string,
  next: VersionFile,
): Promise<boolean> {
  const staging = remotePaths.staging(actorId, deviceId, next.nonce);
  await stage(remote, actorId, staging, JSON.stringify(next));
  const target = remotePaths.version(actorId, next.version);
  const move = () =>
    davRequest(remote, 'MOVE', staging, {
      headers: { destination: remote.url + target, overwrite: 'F' },
    });
  try {
    const response = await move();
    if (response.status === 201 || response.status === 204) return true;
  } catch (error) {
    if (!isUnanswered(error)) throw error;
  }
  const claimed = await readVersion(remote, actorId, next.version);
  if (claimed?.nonce === next.nonce) return true;
  await deleteCollection(remote, staging);
  return false;
}

async function stage(
  remote: RemoteConfig,
  actorId: string,
  staging: string,
  body: string,
): Promise<void> {
  let made = await davRequest(remote, 'MKCOL', staging);
  if (parentMissing(made)) {
    await ensureCollections(remote, [remotePaths.actor(actorId), remotePaths.stagingRoot(actorId)]);
    made = await davRequest(remote, 'MKCOL', staging);
  }
  if (made.status !== 201) throw unexpected('MKCOL', staging, made);
  const file = `${staging}state.json`;
  const put = await davRequest(remote, 'PUT', file, {
    headers: { 'content-type': 'application/json' },
    body,
  });
  if (!put.ok) throw unexpected('PUT', file, put);
}
