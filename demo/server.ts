import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import sirv from 'sirv';
import { startEmbeddedWebdav } from './webdav/startEmbeddedWebdav.ts';

/**
 * Serves a built app (page + `/sw.js`) from `root`; resolves once listening.
 * With `single`, unknown paths get `index.html` (the test app's variants live
 * under their own paths). `config` is served as `/demo-config.json`.
 */
export async function serveApp(
  root: string,
  host: string,
  port: number,
  options: { single?: boolean; config?: unknown } = {},
): Promise<Server> {
  const files = sirv(resolve(root), { dev: true, etag: true, single: options.single ?? false });
  const config = JSON.stringify(options.config ?? {});
  const server = createServer((request, response) => {
    if (request.url === '/demo-config.json') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(config);
      return;
    }
    files(request, response, () => {
      response.statusCode = 404;
      response.end('Not found');
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, done);
  });
  return server;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const host = process.env['HOST'] ?? '127.0.0.1';
  const port = Number(process.env['PORT'] ?? '5173');
  let remote = process.env['ACTORDAV_REMOTE'];
  if (remote === undefined || remote === '') {
    const root = resolve('.remote-data');
    await mkdir(root, { recursive: true });
    const dav = await startEmbeddedWebdav({ root, host, port: Number(process.env['DAV_PORT'] ?? port + 1) });
    remote = dav.url;
    console.log(`embedded WebDAV remote: ${remote} (files in ${root})`);
  }
  await serveApp('dist-demo', host, port, { config: { remote } });
  console.log(`actordav demo: http://${host}:${port}/`);
}
