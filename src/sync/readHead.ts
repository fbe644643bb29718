import { SyncError } from '../errors/SyncError.ts';
import { davRequest, unexpected } from '../webdav/davRequest.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { listCollection } from './listCollection.ts';
import { parseVersionName, remotePaths } from './remotePaths.ts';
import { decodeVersion, genesisVersion, type VersionFile } from './versionFile.ts';

/**
 * Finds the head (the highest claimed `v/{n}`, DESIGN.md §6.2) and reads it.
 * Versions are immutable, so one already read is taken from `cache`.
 */
export async function readHead(
  remote: RemoteConfig,
  actorId: string,
  cache: Map<string, VersionFile>,
): Promise<VersionFile> {
  const numbers = (await listCollection(remote, remotePaths.versions(actorId)))
    .map(parseVersionName)
    .filter((n) => n !== undefined);
  if (numbers.length === 0) return genesisVersion();
  const n = Math.max(...numbers);
  const cached = cache.get(actorId);
  if (cached?.version === n) return cached;
  const head = await readVersion(remote, actorId, n);
  if (head === undefined) {
    throw new SyncError('remote-protocol', `Version ${n} is listed but has no state.json`);
  }
  cache.set(actorId, head);
  return head;
}

/** `v/{n}/state.json`, or undefined when it does not exist. */
export async function readVersion(
  remote: RemoteConfig,
  actorId: string,
  n: number,
): Promise<VersionFile | undefined> {
  const path = remotePaths.versionFile(actorId, n);
  const response = await davRequest(remote, 'GET', path);
  if (response.status === 404) return undefined;
  if (!response.ok) throw unexpected('GET', path, response);
  return decodeVersion(n, await response.text());
}
