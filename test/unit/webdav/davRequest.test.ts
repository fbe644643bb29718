import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { isSyncError, type SyncError } from '../../../src/errors/SyncError.ts';
import { davRequest } from '../../../src/webdav/davRequest.ts';
import { normalizeRemote, type RemoteFetch } from '../../../src/webdav/remoteConfig.ts';
import { startFaultProxy, type FaultProxy } from '../../servers/faultProxy.ts';
import { closeServer, listenLocally } from '../../servers/localServer.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';

const origin = 'http://app.test';
let server: WebdavServer;
let proxy: FaultProxy;

beforeAll(async () => {
  server = await startWebdavServer('embedded', { auth: { username: 'u', password: 'p' } });
  proxy = await startFaultProxy({ target: server.url });
});
afterEach(() => {
  proxy.clear();
  vi.unstubAllGlobals();
});
afterAll(async () => {
  await proxy.close();
  await server.stop();
});

async function failure(request: Promise<unknown>): Promise<SyncError> {
  const error: unknown = await request.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isSyncError(error)) throw new Error(`expected a SyncError, got ${String(error)}`);
  return error;
}

/**
 * A fetch that behaves like a browser worker's towards a cross-origin server: an answer
 * without `Access-Control-Allow-Origin` for our origin fails with a bare TypeError, and a
 * `no-cors` request resolves with an (here merely stand-in) opaque answer once the server
 * answered at all. Counts the `no-cors` probes.
 */
function browserFetch(): RemoteFetch & { probes: number } {
  const browser = async (input: string, init: RequestInit) => {
    if (init.mode === 'no-cors') {
      browser.probes++;
      const { signal } = init;
      await fetch(input, { method: 'GET', ...(signal ? { signal } : {}) });
      return new Response(null, { status: 200 });
    }
    const headers = new Headers(init.headers);
    headers.set('origin', origin);
    const response = await fetch(input, { ...init, headers });
    if (response.headers.get('access-control-allow-origin') !== origin) {
      await response.body?.cancel();
      throw new TypeError('Failed to fetch');
    }
    return response;
  };
  browser.probes = 0;
  return browser;
}

describe('davRequest time limit', () => {
  it('aborts a request to a server that accepts and never answers: remote-timeout', async () => {
    const sockets = new Set<Socket>();
    const silent = createTcpServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const remote = normalizeRemote({ url: `http://127.0.0.1:${port}/`, timeoutMs: 200 });
      const started = Date.now();
      const error = await failure(davRequest(remote, 'PROPFIND', 'shop/v/'));
      expect(error.code).toBe('remote-timeout');
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/PROPFIND shop\/v\/: no answer within 200 ms/);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(sockets.size).toBe(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('also limits an answer whose body never ends', async () => {
    const stalling = createHttpServer((_, response) => {
      response.writeHead(207, { 'content-type': 'application/xml' });
      response.write('<?xml version="1.0"?><D:multistatus xmlns:D="DAV:">');
    });
    const url = await listenLocally(stalling);
    try {
      const remote = normalizeRemote({ url: `${url}/`, timeoutMs: 200 });
      const error = await failure(davRequest(remote, 'PROPFIND', 'shop/v/'));
      expect(error.code).toBe('remote-timeout');
    } finally {
      await closeServer(stalling);
    }
  });
});

describe('davRequest and CORS', () => {
  // The worker's own origin: only a cross-origin remote can fail for CORS.
  beforeEach(() => vi.stubGlobal('location', { origin }));

  it('passes answers that carry CORS headers', async () => {
    const remote = normalizeRemote({
      url: `http://u:p@${new URL(proxy.url).host}/`,
      fetch: browserFetch(),
    });
    proxy.inject({ fault: 'bareErrors' });
    const response = await davRequest(remote, 'PUT', 'cors.json', { body: '{}' });
    expect(response.status).toBe(201);
  });

  it('reports a 401 without CORS headers as remote-cors, found by a no-cors probe', async () => {
    const browser = browserFetch();
    const remote = normalizeRemote({
      url: `http://u:wrong@${new URL(proxy.url).host}/`,
      fetch: browser,
    });
    proxy.inject({ fault: 'bareErrors' });
    const error = await failure(davRequest(remote, 'PROPFIND', 'shop/v/'));
    expect(error.code).toBe('remote-cors');
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/error answers \(401/);
    expect(error.message).toMatch(/A 401 for wrong credentials/);
    expect(browser.probes).toBe(1);
  });

  it('is remote-unreachable, not remote-cors, when a connection broke once and CORS is fine', async () => {
    const browser = browserFetch();
    const remote = normalizeRemote({ url: `http://${new URL(proxy.url).host}/`, fetch: browser });
    proxy.inject({ fault: 'drop', method: 'PROPFIND', times: 1 });
    const error = await failure(davRequest(remote, 'PROPFIND', 'shop/v/'));
    expect(error.code).toBe('remote-unreachable');
    expect(browser.probes).toBe(1);
  });

  it('is remote-unreachable when the no-cors probe gets no answer either', async () => {
    const closed = createHttpServer();
    const url = await listenLocally(closed);
    await closeServer(closed);
    const browser = browserFetch();
    const error = await failure(
      davRequest(normalizeRemote({ url: `${url}/`, fetch: browser }), 'GET', 'x'),
    );
    expect(error.code).toBe('remote-unreachable');
    expect(browser.probes).toBe(1);
  });

  it('does not probe a same-origin remote, nor while offline, nor outside a browser', async () => {
    const browser = browserFetch();
    const remote = normalizeRemote({
      url: `http://u:wrong@${new URL(proxy.url).host}/`,
      fetch: browser,
    });
    proxy.inject({ fault: 'bareErrors' });
    vi.stubGlobal('location', { origin: new URL(proxy.url).origin });
    expect((await failure(davRequest(remote, 'GET', 'x'))).code).toBe('remote-unreachable');
    vi.stubGlobal('location', { origin });
    vi.stubGlobal('navigator', { onLine: false });
    expect((await failure(davRequest(remote, 'GET', 'x'))).code).toBe('remote-unreachable');
    vi.unstubAllGlobals();
    expect((await failure(davRequest(remote, 'GET', 'x'))).code).toBe('remote-unreachable');
    expect(browser.probes).toBe(0);
  });
});
