import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultProxy, type FaultProxy } from '../../servers/faultProxy.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';
import { freshActor } from '../support/app.ts';
import { expect, test } from '../support/fixtures.ts';
import { SyncDevice } from '../support/syncDevice.ts';
import { expectSynced } from './expectRemote.ts';

// DESIGN.md §6 and §7: Background Sync is an extra, never a need. Firefox and WebKit have none, and
// Chromium's worker here has the API hidden: with the remote gone and back, the worker's own
// fallback triggers (its backoff timer) confirm the message within the 30 s promised, and no sync
// event ever reaches it. The page sends no nudge either (it does not use the client library).

let dataDir: string;
let server: WebdavServer;
let proxy: FaultProxy;

test.beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'actordav-no-bgsync-'));
  server = await startWebdavServer('embedded', { dataDir });
  proxy = await startFaultProxy({ target: server.url });
});

test.afterAll(async () => {
  await proxy?.close();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

test('no Background Sync: a message taken while the remote is gone is confirmed within 30 s of its return', async ({
  browser,
}) => {
  const device = await SyncDevice.open(browser, {
    name: 'no-bgsync',
    remote: proxy.url,
    confirm: 300,
    backgroundSync: 'none',
  });
  try {
    expect(await device.syncEvents()).toEqual({ syncEvents: 0, hasApi: false });
    const actor = freshActor('no-bgsync');
    proxy.inject({ fault: 'drop' });
    const answer = await device.putTask(actor, 'offline-1');
    expect(answer.status, answer.text).toBe(202);
    expect(answer.json).toMatchObject({ key: 'offline-1', status: 'pending' });
    await device.waitForStatus(actor, (status) => {
      expect(status.pending).toBe(1);
      expect(status.lastError?.code).toBe('remote-unreachable');
    });

    proxy.clear();
    const back = Date.now();
    const status = await device.waitUntilSynced(actor, 30_000);
    console.log(`[${test.info().project.name}] remote back → confirmed in ${Date.now() - back} ms`);
    expect(status.lastError).toBeNull();
    await expectSynced({ url: server.url }, actor, ['offline-1']);
    const receipt = await device.receipt(actor, 'offline-1');
    expect(receipt.json).toMatchObject({ status: 'done', answer: { status: 201 } });
    expect(await device.syncEvents()).toEqual({ syncEvents: 0, hasApi: false });
  } finally {
    await device.close();
  }
});
