import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import sirv from 'sirv';
import { startAirplaneGate } from './airplaneGate.ts';
import { demoRoutes } from './demoRoutes.ts';
import { startEmbeddedWebdav } from '../src/devRemote/startEmbeddedWebdav.ts';

/**
 * Serves a built app (page + `/sw.js`) from `root`; resolves once listening.
 * With `single`, unknown paths get `index.html` (the test app's variants live
 * under their own paths). `config` is served as `/demo-config.json`; `handle`
 * may answer a request first (it returns true when it did).
 */
export async function serveApp(
  root: string,
  host: string,
  port: number,
  options: {
    single?: boolean;
    config?: unknown;
    handle?: (request: IncomingMessage, response: ServerResponse) => boolean;
  } = {},
): Promise<Server> {
  const files = sirv(resolve(root), { dev: true, etag: true, single: options.single ?? false });
  const config = JSON.stringify(options.config ?? {});
  const server = createServer((request, response) => {
    if (request.url === '/demo-config.json') {
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(config);
      return;
    }
    if (options.handle?.(request, response) === true) return;
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
  const env = (name: string) => (process.env[name] === '' ? undefined : process.env[name]);
  const host = env('HOST') ?? '127.0.0.1';
  const port = Number(env('PORT') ?? '5173');
  let remote = env('ACTORDAV_REMOTE');
  if (remote === undefined) {
    const root = resolve(env('REMOTE_DATA_DIR') ?? '.remote-data');
    await mkdir(root, { recursive: true });
    const dav = await startEmbeddedWebdav({
      root,
      host,
      port: Number(env('DAV_PORT') ?? port + 1),
      // Only the demo's own pages and worker: any other site could otherwise read and rewrite it.
      allowOrigins: [`http://${host}:${port}`, `http://localhost:${port}`],
    });
    remote = dav.url;
    console.log(`embedded WebDAV remote: ${remote} (files in ${root})`);
  }
  // The worker syncs through the gate, so the airplane switch really cuts it off the remote; the
  // gate adds the remote's credentials, so no page or worker holds them. The page browses the
  // remote directly (as another device would), without credentials.
  const gate = await startAirplaneGate({
    target: remote,
    host,
    port: Number(env('GATE_PORT') ?? port + 2),
  });
  const browse = new URL(remote);
  browse.username = '';
  browse.password = '';
  console.log(`airplane gate: ${gate.url} -> ${browse.href}`);
  await serveApp('dist-demo', host, port, {
    config: { remote: gate.url, browse: browse.href },
    handle: demoRoutes(gate, 'dist-demo', (on) =>
      console.log(`airplane mode ${on ? 'on: the worker cannot reach the remote' : 'off'}`),
    ),
  });
  console.log(`actordav demo: http://${host}:${port}/`);
}
