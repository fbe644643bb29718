import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import sirv from 'sirv';

/**
 * Serves a built app (page + `/sw.js`) from `root`; resolves once listening.
 * With `single`, unknown paths get `index.html` (the test app's variants live under their own paths).
 */
export async function serveApp(
  root: string,
  host: string,
  port: number,
  single = false,
): Promise<Server> {
  const files = sirv(resolve(root), { dev: true, etag: true, single });
  const server = createServer((request, response) => {
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
  await serveApp('dist-demo', host, port);
  console.log(`actordav demo: http://${host}:${port}/`);
}
