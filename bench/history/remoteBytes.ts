import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** What a folder of the WebDAV server holds: the bytes of its files, and how many files. */
export interface StoredBytes {
  bytes: number;
  files: number;
}

/** Sums the sizes of every file under `folder` (what the remote stores; folders themselves cost nothing here). */
export async function remoteBytes(folder: string): Promise<StoredBytes> {
  const total: StoredBytes = { bytes: 0, files: 0 };
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  await Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map(async (entry) => {
        const { size } = await stat(join(entry.parentPath, entry.name));
        total.bytes += size;
        total.files++;
      }),
  );
  return total;
}
