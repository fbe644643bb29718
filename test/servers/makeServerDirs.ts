import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** A launcher's fresh temp dir and the data directory it will serve. */
export interface ServerDirs {
  readonly tempDir: string;
  readonly dataDir: string;
}

/** Creates `actordav-{kind}-*` in the OS temp dir, with `data/` inside unless one is given. */
export async function makeServerDirs(kind: string, dataDir?: string): Promise<ServerDirs> {
  const tempDir = await mkdtemp(join(tmpdir(), `actordav-${kind}-`));
  const data = dataDir === undefined ? join(tempDir, 'data') : resolve(dataDir);
  await mkdir(data, { recursive: true });
  return { tempDir, dataDir: data };
}
