import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { versionName } from '../../src/sync/remotePaths.ts';
import { applyDelta, decodeStored, encodeVersion } from '../../src/sync/storedVersion.ts';
import { genesisVersion, type VersionFile } from '../../src/sync/versionFile.ts';

/** Version n's `state.json` as the server's folder holds it. */
export function storedFile(actorFolder: string, n: number): Promise<string> {
  return readFile(join(actorFolder, 'v', versionName(n), 'state.json'), 'utf8');
}

/** Whether version n was written as a checkpoint (its file starts by saying so). */
export async function isCheckpoint(actorFolder: string, n: number): Promise<boolean> {
  const body = await storedFile(actorFolder, n);
  return body.startsWith('{"format":2,"kind":"checkpoint"');
}

/** Version n's content, read from the server's folder as a new device reads it: its checkpoint, then the chain. */
export async function contentOnDisk(actorFolder: string, n: number): Promise<VersionFile> {
  const head = decodeStored(n, await storedFile(actorFolder, n));
  if (head.kind === 'checkpoint') return head.version;
  const base = decodeStored(head.file.base, await storedFile(actorFolder, head.file.base));
  if (base.kind !== 'checkpoint') throw new Error(`version ${head.file.base} is no checkpoint`);
  let version = base.version;
  for (let k = head.file.base + 1; k <= n; k++) {
    const stored = k === n ? head : decodeStored(k, await storedFile(actorFolder, k));
    if (stored.kind !== 'delta') throw new Error(`version ${k} inside a chain is no delta`);
    version = applyDelta(version, stored.file, stored.bytes);
  }
  return version;
}

/** The bytes of a version's content: the size of the checkpoint that would hold it alone. */
export function contentBytes(version: VersionFile): number {
  return Buffer.byteLength(encodeVersion(version, genesisVersion()).body, 'utf8');
}
