import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './freePort.ts';
import { giveToServerUser, startedAsRoot } from './giveToServerUser.ts';
import { launchDaemon } from './launchDaemon.ts';
import { makeServerDirs } from './makeServerDirs.ts';
import { renderServerConfig } from './remoteRecipes.ts';
import type { WebdavServer, WebdavServerOptions } from './WebdavServer.ts';
import { writeHtpasswd } from './writeHtpasswd.ts';

/** Every test app is served from 127.0.0.1, on ports chosen per run (a PCRE for ap_expr). */
const TEST_ORIGINS = '^http://127\\.0\\.0\\.1:[0-9]+$';
// Only for the suite run as root (CI containers): mod_unixd will not serve as root (there is no
// switch to allow it), so the children run as nobody and the launcher hands them the temp dir.
// Not root: User is ignored and everything runs as the current user.
const AS_ROOT = 'User nobody\nGroup nogroup\n';

/**
 * Runs Apache 2.4 mod_dav_fs (Debian: apache2, apache2-utils for htpasswd) from the recipes of
 * docs/REMOTES.md in a fresh temp dir on 127.0.0.1, in the foreground so the PID we hold is the
 * parent's.
 */
export async function startApache(options: WebdavServerOptions = {}): Promise<WebdavServer> {
  const { tempDir, dataDir } = await makeServerDirs('apache', options.dataDir);
  const port = options.port ?? (await freePort());
  const values = {
    PORT: String(port),
    DATA_DIR: dataDir,
    TEMP_DIR: tempDir,
    ORIGIN_REGEX: TEST_ORIGINS,
  };
  const config = await renderServerConfig('apache', values, {
    auth: options.auth !== undefined,
    asRoot: startedAsRoot ? AS_ROOT : undefined,
  });
  const configPath = join(tempDir, 'apache.conf');
  await writeFile(configPath, config);
  await mkdir(join(tempDir, 'run'));
  if (options.auth) await writeHtpasswd(join(tempDir, 'htpasswd'), options.auth);
  await giveToServerUser(options.dataDir === undefined ? [tempDir] : [tempDir, dataDir]);

  const url = `http://127.0.0.1:${port}/`;
  const stop = await launchDaemon({
    command: 'apache2',
    args: ['-f', configPath, '-D', 'FOREGROUND'],
    url,
    errorLog: join(tempDir, 'error.log'),
    tempDir,
  });
  return { kind: 'apache', url, dataDir, stop };
}
