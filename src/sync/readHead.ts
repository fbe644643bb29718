import { SyncError } from '../errors/SyncError.ts';
import { readRemoteFile } from '../webdav/readRemoteFile.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { listCollection } from './listCollection.ts';
import { parseVersionName, remotePaths } from './remotePaths.ts';
import { decodeVersion, genesisVersion, type VersionFile } from './versionFile.ts';

/**
 * Finds the head (the highest claimed `v/{n}`, DESIGN.md §6.2) and reads it.
 * A version is cached by (number, nonce), never by number alone (DESIGN.md
 * §6b): a server that lets two claims of one number win, or a restored
 * backup, can put another version under a number already read. So `cache`
 * (the last version read, by actor) is used only while `v/{n}/claim.json`
 * still names its nonce; a version without one (written by older code) is
 * read again.
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
  if (cached?.version === n && (await claimedNonce(remote, actorId, n)) === cached.nonce) {
    return cached;
  }
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
  const text = await readRemoteFile(remote, remotePaths.versionFile(actorId, n));
  return text === undefined ? undefined : decodeVersion(n, text);
}

// The nonce `v/{n}/claim.json` names, or undefined when it has none readable (then the version is read).
async function claimedNonce(
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
