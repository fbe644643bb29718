import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { BasicCredentials } from '../../src/devRemote/checkBasicAuth.ts';

/**
 * Writes an htpasswd file with one user, readable by Apache and by lighttpd's htpasswd backend.
 * Uses `htpasswd` (apache2-utils) when installed, else an `{SHA}` entry, which both accept.
 */
export async function writeHtpasswd(path: string, credentials: BasicCredentials): Promise<void> {
  const { username, password } = credentials;
  // -i reads the password from stdin, so it never shows in the process list.
  const tool = spawnSync('htpasswd', ['-i', '-c', path, username], { input: password });
  if (tool.error === undefined && tool.status === 0) return;
  if (tool.error === undefined) {
    throw new Error(`htpasswd failed: ${tool.stderr.toString()}`);
  }
  const sha = createHash('sha1').update(password).digest('base64');
  await writeFile(path, `${username}:{SHA}${sha}\n`);
}
