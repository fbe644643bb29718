import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
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
const LUA_SCRIPTS = ['lighttpd-preflight.lua', 'lighttpd-origin.lua'];

/**
 * Runs lighttpd + mod_webdav (Debian: lighttpd, lighttpd-mod-webdav, lighttpd-modules-lua)
 * from `lighttpd.conf` in a fresh temp dir on 127.0.0.1.
 */
export async function startLighttpd(options: WebdavServerOptions = {}): Promise<WebdavServer> {
  const { tempDir, dataDir } = await makeServerDirs('lighttpd', options.dataDir);
  const port = options.port ?? (await freePort());
  const template = await readFile(join(here, 'lighttpd.conf'), 'utf8');
  const config = renderTemplate(
    template,
    { PORT: String(port), DATA_DIR: dataDir, TEMP_DIR: tempDir },
    { auth: options.auth !== undefined, asRoot: startedAsRoot },
  );
  const configPath = join(tempDir, 'lighttpd.conf');
  await writeFile(configPath, config);
  for (const script of LUA_SCRIPTS) await copyFile(join(here, script), join(tempDir, script));
  await mkdir(join(tempDir, 'upload'));
  if (options.auth) await writeHtpasswd(join(tempDir, 'htpasswd'), options.auth);
  await giveToServerUser(options.dataDir === undefined ? [tempDir] : [tempDir, dataDir]);

  const url = `http://127.0.0.1:${port}/`;
  const stop = await launchDaemon({
    command: 'lighttpd',
    args: ['-D', '-f', configPath],
    url,
    errorLog: join(tempDir, 'error.log'),
    tempDir,
  });
  return { kind: 'lighttpd', url, dataDir, stop };
}
