import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { claimName, versionName } from '../../src/sync/remotePaths.ts';
import type { FoldedHistory } from './foldHistory.ts';

/**
 * Writes a folded history straight into the WebDAV server's folder, as its
 * devices would have left the remote (DESIGN.md §6a): every removed version
 * a folder holding only its tombstone `gone.json`, the checkpoint and its
 * chain with their claim files, and an empty `log/` (each device deletes
 * its own segments once a version it confirmed holds them).
 */
export async function plantHistory(
  davRoot: string,
  actorId: string,
  history: FoldedHistory,
): Promise<void> {
  const actor = join(davRoot, actorId);
  await mkdir(join(actor, 'staging'), { recursive: true });
  await mkdir(join(actor, 'log'), { recursive: true });
  const base = history.files[0]?.n ?? 1;
  for (let n = 1; n < base; n++) {
    const folder = join(actor, 'v', versionName(n));
    await mkdir(folder, { recursive: true });
    // As removeOldVersions writes it: the checkpoint that made the version unneeded.
    const checkpoint = n >= history.previous ? base : history.previous;
    await writeFile(join(folder, 'gone.json'), JSON.stringify({ gone: n, checkpoint }));
  }
  for (const file of history.files) {
    const folder = join(actor, 'v', versionName(file.n));
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'state.json'), file.body);
    const claim = { nonce: file.nonce, deviceId: file.deviceId };
    await writeFile(join(folder, claimName), JSON.stringify(claim));
  }
}
