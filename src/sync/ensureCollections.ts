import { davRequest, unexpected } from '../webdav/davRequest.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';

/**
 * MKCOL each collection in order, parents first. Called only after a write
 * answered 409/404 for a missing parent, so a round on an existing layout
 * costs no extra request. 405 means it exists already.
 */
export async function ensureCollections(
  remote: RemoteConfig,
  paths: readonly string[],
): Promise<void> {
  for (const path of paths) {
    const response = await davRequest(remote, 'MKCOL', path);
    if (!response.ok && response.status !== 405) throw unexpected('MKCOL', path, response);
  }
}

/** True for the answers servers give a write whose parent collection is missing. */
export function parentMissing(response: Response): boolean {
  return response.status === 409 || response.status === 404;
}
