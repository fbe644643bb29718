import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './freePort.ts';
import { giveToServerUser, startedAsRoot } from './giveToServerUser.ts';
import { launchDaemon } from './launchDaemon.ts';
import { makeServerDirs } from './makeServerDirs.ts';
import { renderTemplate } from './renderTemplate.ts';
import type { WebdavServer, WebdavServerOptions } from './WebdavServer.ts';
import { writeHtpasswd } from './writeHtpasswd.ts';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * Runs Apache 2.4 mod_dav_fs (Debian: apache2, apache2-utils for htpasswd) from `apache.conf`
 * in a fresh temp dir on 127.0.0.1, in the foreground so the PID we hold is the parent's.
 */
export async function startApache(options: WebdavServerOptions = {}): Promise<WebdavServer> {
  const { tempDir, dataDir } = await makeServerDirs('apache', options.dataDir);
  const port = options.port ?? (await freePort());
  const template = await readFile(join(here, 'apache.conf'), 'utf8');
  const config = renderTemplate(
    template,
    { PORT: String(port), DATA_DIR: dataDir, TEMP_DIR: tempDir },
    { auth: options.auth !== undefined, asRoot: startedAsRoot },
  );
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
