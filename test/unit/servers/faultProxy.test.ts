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
    expect(proxy.faults).toEqual({ drop: 1, delay: 1, unavailable: 1, lostAck: 1, overwrite: 0 });
  });
});
