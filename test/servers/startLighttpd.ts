import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './freePort.ts';
import { giveToServerUser, startedAsRoot } from './giveToServerUser.ts';
import { launchDaemon } from './launchDaemon.ts';
import { makeServerDirs } from './makeServerDirs.ts';
import { readRecipe, renderServerConfig } from './remoteRecipes.ts';
import { renderTemplate } from './renderTemplate.ts';
import type { WebdavServer, WebdavServerOptions } from './WebdavServer.ts';
import { writeHtpasswd } from './writeHtpasswd.ts';

const LUA_SCRIPTS = ['lighttpd-preflight.lua', 'lighttpd-origin.lua'];
/** Every test app is served from 127.0.0.1, on ports chosen per run (a Lua pattern). */
const TEST_ORIGINS = '^http://127%.0%.0%.1:%d+$';
// Only for the suite run as root (CI containers): lighttpd drops root after binding, and the
// launcher hands the temp dir to this user. A real install names its own (www-data on Debian).
const AS_ROOT = 'server.username = "nobody"\nserver.groupname = "nogroup"\n';

/**
 * Runs lighttpd + mod_webdav (Debian: lighttpd, lighttpd-mod-webdav, lighttpd-modules-lua)
 * from the recipes of docs/REMOTES.md in a fresh temp dir on 127.0.0.1.
 */
export async function startLighttpd(options: WebdavServerOptions = {}): Promise<WebdavServer> {
  const { tempDir, dataDir } = await makeServerDirs('lighttpd', options.dataDir);
  const port = options.port ?? (await freePort());
  const values = {
    PORT: String(port),
    DATA_DIR: dataDir,
    TEMP_DIR: tempDir,
    ORIGIN_PATTERN: TEST_ORIGINS,
  };
  const render = async (name: string) => renderTemplate(await readRecipe(name), values);
  const config = await renderServerConfig('lighttpd', values, {
    auth: options.auth !== undefined,
    asRoot: startedAsRoot ? AS_ROOT : undefined,
  });
  const configPath = join(tempDir, 'lighttpd.conf');
  await writeFile(configPath, config);
  for (const script of LUA_SCRIPTS) await writeFile(join(tempDir, script), await render(script));
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
