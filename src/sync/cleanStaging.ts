import { davRequest } from '../webdav/davRequest.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { listCollection } from './listCollection.ts';
import { remotePaths } from './remotePaths.ts';

/**
 * Removes this device's staging folders left by rounds that died between
 * MKCOL and MOVE. Only our own: another device's may be a claim in flight.
 * Safe while we hold the actor's sync lock: no claim of ours is in flight.
 */
export async function cleanStaging(
  remote: RemoteConfig,
  actorId: string,
  deviceId: string,
): Promise<void> {
  const root = remotePaths.stagingRoot(actorId);
  for (const name of await listCollection(remote, root)) {
    if (name.startsWith(`${deviceId}-`)) {
      await davRequest(remote, 'DELETE', `${root}${encodeURIComponent(name)}/`);
    }
  }
}
