import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { claimName, versionName } from '../../../../src/sync/remotePaths.ts';
import { applyDelta, decodeStored } from '../../../../src/sync/storedVersion.ts';
import type { VersionFile } from '../../../../src/sync/versionFile.ts';
import { normalizeRemote, type RemoteConfig } from '../../../../src/webdav/remoteConfig.ts';
import { actorId } from './builders.ts';
import { keyRecord } from './keys.ts';

/**
 * Writes `v/{n}/state.json` as format 1 would (a whole version, as the code before format 2
 * wrote it) and, unless told not to, its claim file, straight into a server's folder.
 */
export async function plantVersion(
  dataDir: string,
  version: VersionFile,
  { claim = true, actor = actorId }: { claim?: boolean; actor?: string } = {},
): Promise<void> {
  const folder = join(dataDir, actor, 'v', versionName(version.version));
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder, { recursive: true });
  // A format-1 file has no chain: JSON drops the undefined member.
  await writeFile(
    join(folder, 'state.json'),
    JSON.stringify({ format: 1, ...version, keys: keyRecord(version.keys), chain: undefined }),
  );
  if (claim) {
    await writeFile(join(folder, claimName), JSON.stringify({ nonce: version.nonce }));
  }
}

/** Version n's content as the server's folder holds it: a checkpoint, or its chain applied. */
export async function versionOnDisk(
  dataDir: string,
  n: number,
  actor = actorId,
): Promise<VersionFile> {
  const stored = decodeStored(n, await storedOnDisk(dataDir, n, actor));
  if (stored.kind === 'checkpoint') return stored.version;
  let version = await versionOnDisk(dataDir, stored.file.base, actor);
  for (let k = stored.file.base + 1; k < n; k++) {
    const between = decodeStored(k, await storedOnDisk(dataDir, k, actor));
    if (between.kind !== 'delta') throw new Error(`version ${k} inside a chain is no delta`);
    version = applyDelta(version, between.file, between.bytes);
  }
  return applyDelta(version, stored.file, stored.bytes);
}

/** The text of `v/{n}/state.json` in the server's folder. */
export function storedOnDisk(dataDir: string, n: number, actor = actorId): Promise<string> {
  return readFile(join(dataDir, actor, 'v', versionName(n), 'state.json'), 'utf8');
}

/** The version numbers the server's folder holds. */
export async function versionsOnDisk(dataDir: string, actor = actorId): Promise<number[]> {
  const names = await readdir(join(dataDir, actor, 'v')).catch(() => []);
  return names.map(Number).sort((a, b) => a - b);
}

/** Removes `v/{n}/`, as a restore from an older copy would. */
export function dropVersion(dataDir: string, n: number, actor = actorId): Promise<void> {
  return rm(join(dataDir, actor, 'v', versionName(n)), { recursive: true, force: true });
}

/** A remote on the server at `url` that notes every request it sends as `METHOD path` (decoded). */
export function recordingRemote(url: string): { remote: RemoteConfig; seen: string[] } {
  const seen: string[] = [];
  const remote = normalizeRemote({
    url,
    fetch: (input, init) => {
      seen.push(`${init.method ?? 'GET'} ${decodeURIComponent(new URL(input).pathname)}`);
      return fetch(input, init);
    },
  });
  return { remote, seen };
}

/** Makes an actor's collections (`log/`, `v/`, `staging/`) straight in a server's folder. */
export async function plantLayout(dataDir: string, actor = actorId): Promise<void> {
  for (const name of ['log', 'v', 'staging']) {
    await mkdir(join(dataDir, actor, name), { recursive: true });
  }
}

/** What the actor's `staging/` holds in the server's folder (nothing when it is missing). */
export function stagingOnDisk(dataDir: string, actor = actorId): Promise<string[]> {
  return readdir(join(dataDir, actor, 'staging')).catch(() => []);
}

/** A file of the actor's as the server's folder holds it, parsed; `path` is relative to the actor. */
export async function jsonOnDisk(dataDir: string, path: string, actor = actorId): Promise<unknown> {
  return JSON.parse(await readFile(join(dataDir, actor, path), 'utf8')) as unknown;
}
