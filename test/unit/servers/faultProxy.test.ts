import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { startFaultProxy } from '../../servers/faultProxy.ts';
import type { FaultProxy } from '../../servers/faultProxy.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';

let server: WebdavServer;
let proxy: FaultProxy;
const send = (path: string, init: RequestInit = {}) => fetch(new URL(path, proxy.url), init);

beforeAll(async () => {
  server = await startWebdavServer('embedded');
  proxy = await startFaultProxy({ target: server.url });
});
afterAll(async () => {
  await proxy.close();
  await server.stop();
});

describe('startFaultProxy', () => {
  it('forwards WebDAV methods, rewriting Destination to the server', async () => {
    expect((await send('a/', { method: 'MKCOL' })).status).toBe(201);
    expect((await send('a/f.json', { method: 'PUT', body: '1' })).status).toBe(201);
    const move = await send('a/', {
      method: 'MOVE',
      headers: { Destination: new URL('b/', proxy.url).href, Overwrite: 'F' },
    });
    expect(move.status).toBe(201);
    expect(await (await send('b/f.json')).text()).toBe('1');
  });

  it('loses the acknowledgement of a write the server committed', async () => {
    proxy.inject({ fault: 'lostAck', method: 'PUT', path: /lost\.json$/, times: 1 });
    await expect(send('b/lost.json', { method: 'PUT', body: 'L' })).rejects.toThrow();
    expect(await (await send('b/lost.json')).text()).toBe('L');
    expect(proxy.faults.lostAck).toBe(1);
  });

  it('drops, delays and refuses with 503 without reaching the server', async () => {
    proxy.inject({ fault: 'drop', method: 'PUT', times: 1 });
    await expect(send('b/dropped.json', { method: 'PUT', body: 'D' })).rejects.toThrow();
    expect((await send('b/dropped.json')).status).toBe(404);

    proxy.inject({ fault: 'unavailable', method: 'PROPFIND', times: 1 });
    const refused = await send('b/', {
      method: 'PROPFIND',
      headers: { Origin: 'http://app.test' },
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('access-control-allow-origin')).toBe('http://app.test');

    const remove = proxy.inject({ fault: 'delay', delayMs: 200 });
    const started = Date.now();
    expect((await send('b/f.json')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    remove();
    expect(proxy.faults).toMatchObject({
      drop: 1,
      delay: 1,
      unavailable: 1,
      lostAck: 1,
      overwrite: 0,
    });
  });

  it('serves the target under a mount, rewriting Destination, unless told to keep it', async () => {
    const mounted = await startFaultProxy({ target: server.url, mount: '/dav/' });
    const at = (path: string, init: RequestInit = {}) => fetch(new URL(path, mounted.url), init);
    try {
      expect(mounted.url).toMatch(/\/dav\/$/);
      expect((await at('m/', { method: 'MKCOL' })).status).toBe(201);
      expect((await at('m/f.json', { method: 'PUT', body: 'M' })).status).toBe(201);
      const moveTo = (to: string) =>
        at('m/', {
          method: 'MOVE',
          headers: { Destination: new URL(to, mounted.url).href, Overwrite: 'F' },
        });
      mounted.inject({ fault: 'keepDestination', times: 1 });
      // The server looks for /dav/kept/, which it does not have: 207 with a failure inside.
      expect((await moveTo('kept/')).status).toBe(207);
      expect((await at('kept/f.json')).status).toBe(404);
      expect((await moveTo('n/')).status).toBe(201);
      expect(await (await send('n/f.json')).text()).toBe('M');
      expect(mounted.faults.keepDestination).toBe(1);
    } finally {
      await mounted.close();
    }
  });

  it('lets every MOVE of a race win when it checks, then renames', async () => {
    for (const name of ['r1', 'r2']) {
      await send(`${name}/`, { method: 'MKCOL' });
      await send(`${name}/${name}.json`, { method: 'PUT', body: name });
    }
    proxy.inject({ fault: 'raceMove', delayMs: 50 });
    const moves = await Promise.all(
      ['r1', 'r2'].map((name) =>
        send(`${name}/`, {
          method: 'MOVE',
          headers: { Destination: new URL('won/', proxy.url).href, Overwrite: 'F' },
        }),
      ),
    );
    expect(moves.map((move) => move.ok)).toEqual([true, true]);
    expect(proxy.doubleWins).toBe(1);
    const again = await send('b/', {
      method: 'MOVE',
      headers: { Destination: new URL('won/', proxy.url).href, Overwrite: 'F' },
    });
    expect(again.status).toBe(412);
    proxy.clear();
  });

  it('strips If-None-Match, answers 500, and strips CORS from error answers', async () => {
    proxy.inject({ fault: 'ignoreIfNoneMatch', times: 1 });
    const put = () =>
      send('b/f.json', { method: 'PUT', headers: { 'If-None-Match': '*' }, body: '2' });
    expect((await put()).status).toBe(204);
    expect((await put()).status).toBe(412);
    proxy.inject({ fault: 'serverError', method: 'DELETE', times: 1 });
    expect((await send('b/f.json', { method: 'DELETE' })).status).toBe(500);
    proxy.inject({ fault: 'bareErrors' });
    const headers = { Origin: 'http://app.test' };
    const found = await send('b/', { method: 'PROPFIND', headers: { ...headers, Depth: '0' } });
    expect(found.headers.get('access-control-allow-origin')).toBe('http://app.test');
    const missing = await send('nothing.json', { headers });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('access-control-allow-origin')).toBeNull();
    proxy.clear();
  });
});
