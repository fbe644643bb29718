import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import sirv from 'sirv';
import { createRpcSessions, type PageSession } from './rpcSessions.ts';

/** The bench app's server: the built page and worker, and the pages' RPC endpoints. */
export interface BenchServer {
  /** The app's origin, ending in `/`. */
  readonly url: string;
  /** A session a page joins with `?session={id}`. */
  session(id: string): PageSession;
  close(): Promise<void>;
}

/**
 * Serves `bench/.app-dist` on 127.0.0.1 (with `workerFile`, `/sw.js` is that file instead: the
 * profiler's unminified build). The page is cross-origin isolated
 * (COOP + COEP), which gives it 5 µs timers instead of 100 µs.
 */
export async function serveBench(
  root: string,
  options: { port?: number; workerFile?: string } = {},
): Promise<BenchServer> {
  const files = sirv(resolve(root), {
    dev: true,
    setHeaders: (response) => {
      response.setHeader('cross-origin-opener-policy', 'same-origin');
      response.setHeader('cross-origin-embedder-policy', 'require-corp');
    },
  });
  const rpc = createRpcSessions();
  const worker = options.workerFile === undefined ? undefined : await readFile(options.workerFile);
  const server = createServer((request, response) => {
    if (rpc.handle(request, response)) return;
    if (worker !== undefined && request.url?.split('?')[0] === '/sw.js') {
      response.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      response.end(worker);
      return;
    }
    files(request, response, () => {
      response.writeHead(404).end('Not found');
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', done);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}/`,
    session: (id) => rpc.open(id),
    close: () =>
      new Promise<void>((done, fail) => {
        server.close((error) => (error ? fail(error) : done()));
        server.closeAllConnections();
      }),
  };
}
