import { startFaultProxy, type FaultProxy } from '../../servers/faultProxy.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';
import { freshActor } from '../support/app.ts';
import { engineHas } from '../support/engines.ts';
import { expect, test } from '../support/fixtures.ts';
import { SyncDevice } from '../support/syncDevice.ts';

// DESIGN.md §6b: while the remote fails, no trigger cuts the backoff short. A page stays open for
// 30 s with the remote refusing every connection, while every trigger an app can cause keeps
// coming: a message and a periodic nudge every second, and Background Sync where the engine has it
// (Chromium fires it as soon as it is registered). Before this rule the worker made 501 requests in
// 10 s; now it makes one attempt per backoff step (full jitter, capped at 15 s).

const windowMs = 30_000;

let server: WebdavServer;
let proxy: FaultProxy;

test.beforeAll(async () => {
  server = await startWebdavServer('embedded');
  proxy = await startFaultProxy({ target: server.url });
});

test.afterAll(async () => {
  await proxy?.close();
  await server?.stop();
});

test('a dead remote gets one attempt per backoff step, whatever the triggers', async ({
  browser,
  browserName,
}) => {
  test.setTimeout(windowMs + 60_000);
  const device = await SyncDevice.open(browser, {
    name: 'dead-remote',
    remote: proxy.url,
    confirm: 0,
  });
  try {
    const actor = freshActor('dead');
    proxy.inject({ fault: 'drop' });
    const started = Date.now();
    let sent = 0;
    while (Date.now() - started < windowMs) {
      const answer = await device.putTask(actor, `k${sent}`);
      expect(answer.status, answer.text).toBe(202);
      sent += 1;
      await device.nudge();
      if (engineHas(browserName, 'backgroundSync')) await device.backgroundSync();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const requests = proxy.faults.drop;
    console.log(
      `[${browserName}] dead remote for ${windowMs / 1000} s: ${requests} requests reached it ` +
        `(${sent} messages, ${sent} nudges${engineHas(browserName, 'backgroundSync') ? `, ${sent} Background Sync events` : ''})`,
    );
    // About ten backoff steps fit in 30 s (waits drawn up to 0.5, 1, 2, 4, 8, then 15 s); each
    // attempt fails on its first request (and a cross-origin failure may cost one no-cors check).
    // Far below one per trigger: 30 messages, 30 nudges and, in Chromium, 30 Background Syncs.
    expect(requests).toBeLessThanOrEqual(30);
    const status = await device.status(actor);
    expect(status.pending).toBe(sent);
    expect(status.lastError?.code).toMatch(/^remote-(unreachable|cors)$/);

    proxy.clear();
    await device.syncNow();
    await device.waitUntilSynced(actor, 30_000);
  } finally {
    await device.close();
  }
});
