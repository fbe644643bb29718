import { readdir } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isSyncError } from '../../../src/errors/SyncError.ts';
import { deleteCollection } from '../../../src/webdav/deleteCollection.ts';
import { normalizeRemote } from '../../../src/webdav/remoteConfig.ts';
import { startFaultProxy, type FaultProxy } from '../../servers/faultProxy.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';

let server: WebdavServer;
let proxy: FaultProxy;
const quick = { attempts: 3, baseDelayMs: 10 };

beforeAll(async () => {
  server = await startWebdavServer('embedded');
  proxy = await startFaultProxy({ target: server.url });
});
afterEach(() => proxy.clear());
afterAll(async () => {
  await proxy.close();
  await server.stop();
});

async function stage(name: string): Promise<void> {
  expect((await fetch(new URL(`${name}/`, server.url), { method: 'MKCOL' })).status).toBe(201);
  const put = await fetch(new URL(`${name}/state.json`, server.url), { method: 'PUT', body: '{}' });
  expect(put.status).toBe(201);
}

describe('deleteCollection', () => {
  it('retries a DELETE that got a 500 or lost its connection, until the folder is gone', async () => {
    await stage('flaky');
    proxy.inject({ fault: 'serverError', method: 'DELETE', times: 1 });
    proxy.inject({ fault: 'drop', method: 'DELETE', times: 1 });
    await deleteCollection(normalizeRemote({ url: proxy.url }), 'flaky/', quick);
    expect(await readdir(server.dataDir)).not.toContain('flaky');
  });

  it('takes a folder that is gone already as removed', async () => {
    await deleteCollection(normalizeRemote({ url: server.url }), 'never-made/', quick);
  });

  it('rejects, naming the folder left behind, when every attempt fails', async () => {
    await stage('stuck');
    proxy.inject({ fault: 'serverError', method: 'DELETE' });
    const error: unknown = await deleteCollection(
      normalizeRemote({ url: proxy.url }),
      'stuck/',
      quick,
    ).catch((caught: unknown) => caught);
    expect(isSyncError(error) && error.code).toBe('remote-server-error');
    expect((error as Error).message).toBe(
      'DELETE stuck/: 500: stuck/ is left on the remote after 3 attempts',
    );
    expect(await readdir(server.dataDir)).toContain('stuck');
  });
});
