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

const trials = 10;
const racers = 20;

// What the probe's race checks, measured harder: 20 simultaneous MOVEs of distinct non-empty
// folders onto one new name with Overwrite: F, 10 times. The figures are printed for
// docs/REMOTES.md. A loser may answer 412, 207 (lighttpd: a 412 inside) or 500 (Apache); any
// other 2xx is a win (lighttpd's winner answers 200). The target is read back.
for (const kind of ['lighttpd', 'apache'] as const satisfies WebdavServerKind[]) {
  test(`${kind}: of ${racers} simultaneous MOVEs onto one new name, one wins, ${trials} times`, async () => {
    const server = await startWebdavServer(kind);
    try {
      const winsPerTrial: number[] = [];
      const losingStatuses = new Set<number>();
      const winningStatuses = new Set<number>();
      for (let trial = 0; trial < trials; trial++) {
        const base = `${server.url}race-${trial}/`;
        expect((await fetch(base, { method: 'MKCOL' })).status).toBe(201);
        for (let racer = 0; racer < racers; racer++) {
          expect((await fetch(`${base}s${racer}/`, { method: 'MKCOL' })).status).toBe(201);
          const put = await fetch(`${base}s${racer}/id.txt`, { method: 'PUT', body: `${racer}` });
          expect(put.status).toBe(201);
        }
        const statuses = await Promise.all(
          Array.from({ length: racers }, (_, racer) =>
            fetch(`${base}s${racer}/`, {
              method: 'MOVE',
              headers: { Destination: `${base}target/`, Overwrite: 'F' },
            }).then(async (answer) => {
              await answer.arrayBuffer();
              return answer.status;
            }),
          ),
        );
        const won = (status: number) => status >= 200 && status < 300 && status !== 207;
        const winners = statuses.flatMap((status, racer) => (won(status) ? [racer] : []));
        for (const status of statuses) (won(status) ? winningStatuses : losingStatuses).add(status);
        winsPerTrial.push(winners.length);
        const landed = await (await fetch(`${base}target/id.txt`)).text();
        expect(winners.map(String), `statuses ${statuses.join(' ')}`).toContain(landed);
        // A loser's answer, whatever its code, left its folder where it was.
        for (let racer = 0; racer < racers; racer++) {
          if (winners.includes(racer)) continue;
          expect(await (await fetch(`${base}s${racer}/id.txt`)).text()).toBe(`${racer}`);
        }
      }
      console.log(
        `${kind}: wins per trial ${winsPerTrial.join(' ')}; winners answered ${[...winningStatuses].join(', ')}; losers ${[...losingStatuses].sort().join(', ')}`,
      );
      expect(winsPerTrial).toEqual(Array.from({ length: trials }, () => 1));
    } finally {
      await server.stop();
    }
  });
}
