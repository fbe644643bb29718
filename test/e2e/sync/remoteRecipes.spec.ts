import { expect, test } from '../support/fixtures.ts';
import { appUrl } from '../support/browser.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServerKind } from '../../servers/WebdavServer.ts';

// The configs of docs/REMOTES.md as the servers run them (test/servers reads them from the
// doc): what a browser relies on, asked of the server directly. Sync itself on these configs is
// sync/syncServers.spec.ts.
const app = new URL(appUrl).origin;
const other = 'http://evil.test';
const authorization = `Basic ${btoa('u:p')}`;

for (const kind of ['lighttpd', 'apache'] as const satisfies WebdavServerKind[]) {
  for (const withAuth of [false, true]) {
    test(`${kind}${withAuth ? ' with a password' : ''}: preflights, CORS on 401s, only the app's origin, ETags`, async () => {
      const server = await startWebdavServer(
        kind,
        withAuth ? { auth: { username: 'u', password: 'p' } } : {},
      );
      try {
        const preflight = (origin: string) =>
          fetch(server.url, {
            method: 'OPTIONS',
            headers: {
              Origin: origin,
              'Access-Control-Request-Method': 'PROPFIND',
              'Access-Control-Request-Headers': 'authorization, depth, content-type',
            },
            signal: AbortSignal.timeout(5_000),
          });
        // A complete answer (lighttpd's own OPTIONS body never ends), without credentials.
        const ok = await preflight(app);
        expect(ok.status).toBeLessThan(300);
        await ok.arrayBuffer();
        expect(ok.headers.get('access-control-allow-origin')).toBe(app);
        expect(ok.headers.get('access-control-allow-methods')).toContain('MOVE');
        expect(ok.headers.get('access-control-allow-headers')).toContain('Destination');
        const foreign = await preflight(other);
        await foreign.arrayBuffer();
        expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

        const unauthenticated = await fetch(server.url, {
          method: 'PROPFIND',
          headers: { Origin: app, Depth: '0' },
        });
        expect(unauthenticated.status).toBe(withAuth ? 401 : 207);
        expect(unauthenticated.headers.get('access-control-allow-origin')).toBe(app);
        expect(unauthenticated.headers.get('access-control-expose-headers')).toContain('ETag');

        const headers = { Origin: app, Authorization: authorization };
        const put = await fetch(`${server.url}probe.json`, { method: 'PUT', headers, body: '{}' });
        expect(put.status).toBe(201);
        const again = await fetch(`${server.url}probe.json`, {
          method: 'PUT',
          headers: { ...headers, 'If-None-Match': '*' },
          body: '{}',
        });
        expect(again.status).toBe(412);
        const read = await fetch(`${server.url}probe.json`, { headers });
        expect(read.status).toBe(200);
        // Without a MIME type for every file lighttpd sends no ETag.
        expect(read.headers.get('etag')).not.toBeNull();
        const missing = await fetch(`${server.url}missing.bin`, { headers });
        expect(missing.status).toBe(404);
        expect(missing.headers.get('access-control-allow-origin')).toBe(app);
      } finally {
        await server.stop();
      }
    });
  }
}
