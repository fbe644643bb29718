import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { startEmbeddedWebdav } from '../../../src/devRemote/startEmbeddedWebdav.ts';
import type { EmbeddedWebdav } from '../../../src/devRemote/startEmbeddedWebdav.ts';

const auth = { username: 'u', password: 'p' };
const authorization = `Basic ${Buffer.from('u:p').toString('base64')}`;
let root: string;
let dav: EmbeddedWebdav;

const send = (path: string, method: string, headers: Record<string, string> = {}, body?: string) =>
  fetch(new URL(path, dav.url), {
    method,
    headers: { Authorization: authorization, ...headers },
    ...(body === undefined ? {} : { body }),
  });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'actordav-embedded-test-'));
  dav = await startEmbeddedWebdav({ root, auth, allowOrigins: ['http://app.test'] });
});
afterAll(async () => {
  await dav.close();
  await rm(root, { recursive: true, force: true });
});

describe('startEmbeddedWebdav', () => {
  it('answers preflights without auth and puts CORS on a 401', async () => {
    const origin = 'http://app.test';
    const preflight = await fetch(dav.url, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'PROPFIND' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PROPFIND');
    const denied = await fetch(dav.url, { method: 'PROPFIND', headers: { Origin: origin } });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe(origin);
  });

  it('refuses, without CORS headers, a browser origin it was not told to allow', async () => {
    for (const method of ['OPTIONS', 'PROPFIND', 'PUT']) {
      const refused = await fetch(`${dav.url}planted.json`, {
        method,
        headers: { Origin: 'http://elsewhere.test', 'Access-Control-Request-Method': 'PUT' },
      });
      expect(refused.status).toBe(403);
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    }
    await expect(readFile(join(root, 'planted.json'), 'utf8')).rejects.toThrow();
  });

  it('stores PUTs on disk and refuses a second MKCOL', async () => {
    expect((await send('one/', 'MKCOL')).status).toBe(201);
    expect((await send('one/', 'MKCOL')).status).toBe(405);
    expect((await send('one/a.json', 'PUT', {}, '{"a":1}')).status).toBe(201);
    expect(await readFile(join(root, 'one', 'a.json'), 'utf8')).toBe('{"a":1}');
  });

  it('lets exactly one of 20 simultaneous claims win', async () => {
    await send('race/', 'MKCOL');
    for (let i = 0; i < 20; i++) {
      await send(`race/s${i}/`, 'MKCOL');
      await send(`race/s${i}/state.json`, 'PUT', {}, String(i));
    }
    const moves = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        send(`race/s${i}/`, 'MOVE', {
          Destination: new URL('race/v/', dav.url).href,
          Overwrite: 'F',
        }),
      ),
    );
    expect(moves.filter((r) => r.status === 201)).toHaveLength(1);
    const puts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        send('race/once.json', 'PUT', { 'If-None-Match': '*' }, String(i)),
      ),
    );
    expect(puts.filter((r) => r.ok)).toHaveLength(1);
    expect(puts.filter((r) => r.status === 412)).toHaveLength(19);
  });
});
