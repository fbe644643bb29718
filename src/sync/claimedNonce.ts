import { readRemoteFile } from '../webdav/readRemoteFile.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { remotePaths } from './remotePaths.ts';

/**
 * The nonce `v/{n}/claim.json` names: which claim holds number n now. Cheap
 * to read (a few bytes), so a cached version is checked, and a claim read
 * back, without fetching the version. Undefined when it has none readable.
 */
export async function claimedNonce(
  remote: RemoteConfig,
  actorId: string,
  n: number,
): Promise<string | undefined> {
  const text = await readRemoteFile(remote, remotePaths.versionClaim(actorId, n));
  if (text === undefined) return undefined;
  try {
    const { nonce } = JSON.parse(text) as { nonce?: unknown };
    return typeof nonce === 'string' && nonce !== '' ? nonce : undefined;
  } catch {
    return undefined;
  }
}
