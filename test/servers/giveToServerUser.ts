import { chown, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Whether daemons must drop privileges: Apache (mod_unixd) refuses to serve as root, and
 * lighttpd should not. They then run as `nobody:nogroup` (the templates' `asRoot` section).
 */
export const startedAsRoot = process.getuid?.() === 0;

/** When running as root, hands these directory trees to `nobody` so the daemon can write them. */
export async function giveToServerUser(directories: readonly string[]): Promise<void> {
  if (!startedAsRoot) return;
  const passwd = await readFile('/etc/passwd', 'utf8');
  const fields = passwd
    .split('\n')
    .find((line) => line.startsWith('nobody:'))
    ?.split(':');
  const uid = Number(fields?.[2]);
  const gid = Number(fields?.[3]);
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('no user "nobody"');
  for (const directory of directories) {
    await chown(directory, uid, gid);
    for (const entry of await readdir(directory, { recursive: true })) {
      await chown(join(directory, entry), uid, gid);
    }
  }
}
