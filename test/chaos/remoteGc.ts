import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What removal (DESIGN.md §6a) left on the server's disk, over every actor. */
export interface RemoteGc {
  /** Version folders in all, and how many hold a tombstone (`gone.json`) instead of a version. */
  readonly versionFolders: number;
  readonly tombstones: number;
  /** Live versions written as checkpoints (the rest are deltas). */
  readonly checkpoints: number;
  readonly deltas: number;
  /** Log segments still on the remote. */
  readonly segments: number;
}

/**
 * Counts on the server's data directory itself (every server here serves its directory as the
 * remote's root): cheaper than thousands of PROPFINDs, and independent of the library.
 */
export async function readRemoteGc(dataDir: string, actors: readonly string[]): Promise<RemoteGc> {
  let versionFolders = 0;
  let tombstones = 0;
  let checkpoints = 0;
  let deltas = 0;
  let segments = 0;
  for (const actor of actors) {
    const base = join(dataDir, actor);
    segments += (await names(join(base, 'log'))).filter((name) => name.endsWith('.json')).length;
    for (const folder of await names(join(base, 'v'))) {
      if (!/^\d{12}$/.test(folder)) continue;
      versionFolders += 1;
      const files = await names(join(base, 'v', folder));
      if (files.includes('gone.json')) tombstones += 1;
      if (!files.includes('state.json')) continue;
      const text = await readFile(join(base, 'v', folder, 'state.json'), 'utf8');
      const kind = (JSON.parse(text) as { kind?: string }).kind;
      if (kind === 'delta') deltas += 1;
      else checkpoints += 1;
    }
  }
  return { versionFolders, tombstones, checkpoints, deltas, segments };
}

async function names(dir: string): Promise<string[]> {
  return readdir(dir).catch((): string[] => []);
}
