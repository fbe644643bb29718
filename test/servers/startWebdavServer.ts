import { rm } from 'node:fs/promises';
import { startEmbeddedWebdav } from '../../src/devRemote/startEmbeddedWebdav.ts';
import { makeServerDirs } from './makeServerDirs.ts';
import { startApache } from './startApache.ts';
import { startLighttpd } from './startLighttpd.ts';
import type { WebdavServer, WebdavServerKind, WebdavServerOptions } from './WebdavServer.ts';

/**
 * Starts one of the servers the end-to-end tests run against, all behind one interface.
 *
 * @example
 * const server = await startWebdavServer('apache', { auth: { username: 'u', password: 'p' } });
 * try { ... fetch(new URL('actors/', server.url), ...) ... } finally { await server.stop(); }
 */
export async function startWebdavServer(
  kind: WebdavServerKind,
  options: WebdavServerOptions = {},
): Promise<WebdavServer> {
  switch (kind) {
    case 'lighttpd':
      return startLighttpd(options);
    case 'apache':
      return startApache(options);
    case 'embedded':
      return startEmbedded(options);
  }
}

async function startEmbedded(options: WebdavServerOptions): Promise<WebdavServer> {
  const { tempDir, dataDir } = await makeServerDirs('embedded', options.dataDir);
  const dav = await startEmbeddedWebdav({
    root: dataDir,
    // The test apps run on ports chosen per run; lighttpd and Apache are configured the same way.
    allowOrigins: 'any',
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.auth === undefined ? {} : { auth: options.auth }),
  });
  return {
    kind: 'embedded',
    url: dav.url,
    dataDir,
    stop: async () => {
      await dav.close();
      await rm(tempDir, { recursive: true, force: true });
    },
  };
}
