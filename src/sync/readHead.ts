import { isSyncError, SyncError } from '../errors/SyncError.ts';
import { readRemoteFile } from '../webdav/readRemoteFile.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { claimedNonce } from './claimedNonce.ts';
import { findHeadNumber } from './findHeadNumber.ts';
import { remotePaths } from './remotePaths.ts';
import { applyDelta, decodeStored, type StoredVersion } from './storedVersion.ts';
import { genesisVersion, type VersionFile } from './versionFile.ts';

/** Files of a chain fetched at once. */
const parallelReads = 6;
/** Times a read starts again from the head because a file of its chain was removed meanwhile. */
const maxRestarts = 3;

/**
 * Finds the head (`findHeadNumber`, [finding the head](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#finding-the-head)) and reads its content:
 * its checkpoint with the chain's deltas applied in order. `cache` holds the
 * last version read or claimed, by actor; it is reused while `v/{n}/claim.json`
 * still names its nonce ([reading the head](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#reading-the-head): never by number alone), and a delta
 * whose parent it is costs one GET. A file of the chain that is gone
 * (removed once a newer checkpoint came) starts the read again from the head;
 * a head that is gone (a restored remote) makes the search start from 0.
 */
export async function readHead(
  remote: RemoteConfig,
  actorId: string,
  cache: Map<string, VersionFile>,
): Promise<VersionFile> {
  for (let restart = 0; restart <= maxRestarts; restart++) {
    const cached = cache.get(actorId);
    const n = await findHeadNumber(remote, actorId, cached?.version ?? 0);
    if (n === 0) return genesisVersion();
    if (cached?.version === n) {
      if ((await claimedNonce(remote, actorId, n)) === cached.nonce) return cached;
      cache.delete(actorId);
    }
    const head = await readChain(remote, actorId, n, cached);
    if (head === undefined) {
      // Our known number was gone, or the chain changed under us: look from scratch.
      cache.delete(actorId);
      continue;
    }
    cache.set(actorId, head);
    return head;
  }
  throw new SyncError(
    'remote-protocol',
    `The versions of ${actorId} kept disappearing while being read (${maxRestarts + 1} times)`,
  );
}

// The content of version n, from `known` when the chain passes through it; undefined when a file is gone.
async function readChain(
  remote: RemoteConfig,
  actorId: string,
  n: number,
  known: VersionFile | undefined,
): Promise<VersionFile | undefined> {
  const head = await readStored(remote, actorId, n);
  if (head === undefined) return undefined;
  if (head.kind === 'checkpoint') return head.version;
  const base = head.file.base;
  if (
    known !== undefined &&
    known.version >= base &&
    known.version < n &&
    known.chain?.base === base
  ) {
    try {
      return await applyFrom(remote, actorId, known, n, head);
    } catch (error) {
      // Our copy is not on the remote's line (a claim we lost the read-back of): read from the checkpoint.
      if (!isSyncError(error) || error.code !== 'remote-fork') throw error;
    }
  }
  const checkpoint = await readStored(remote, actorId, base);
  if (checkpoint === undefined) return undefined;
  if (checkpoint.kind !== 'checkpoint') {
    throw new SyncError(
      'remote-protocol',
      `Version ${base}, the base of version ${n}, is no checkpoint`,
    );
  }
  return applyFrom(remote, actorId, checkpoint.version, n, head);
}

async function applyFrom(
  remote: RemoteConfig,
  actorId: string,
  start: VersionFile,
  n: number,
  head: StoredVersion & { kind: 'delta' },
): Promise<VersionFile | undefined> {
  const between: number[] = [];
  for (let k = start.version + 1; k < n; k++) between.push(k);
  const files = await readMany(remote, actorId, between);
  let version = start;
  for (const stored of [...files, head]) {
    if (stored === undefined) return undefined;
    if (stored.kind !== 'delta') {
      throw new SyncError(
        'remote-protocol',
        `Version ${version.version + 1} is a checkpoint inside a chain`,
      );
    }
    version = applyDelta(version, stored.file, stored.bytes);
  }
  return version;
}

async function readMany(
  remote: RemoteConfig,
  actorId: string,
  numbers: readonly number[],
): Promise<(StoredVersion | undefined)[]> {
  const read: (StoredVersion | undefined)[] = [];
  for (let i = 0; i < numbers.length; i += parallelReads) {
    const batch = numbers.slice(i, i + parallelReads);
    read.push(...(await Promise.all(batch.map((k) => readStored(remote, actorId, k)))));
    if (read.includes(undefined)) return read;
  }
  return read;
}

/** `v/{n}/state.json` as stored, or undefined when it does not exist (removed, or never claimed). */
export async function readStored(
  remote: RemoteConfig,
  actorId: string,
  n: number,
): Promise<StoredVersion | undefined> {
  const text = await readRemoteFile(remote, remotePaths.versionFile(actorId, n));
  return text === undefined ? undefined : decodeStored(n, text);
}
