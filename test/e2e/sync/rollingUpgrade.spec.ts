import { startFaultProxy, type FaultProxy } from '../../servers/faultProxy.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';
import { call, freshActor } from '../support/app.ts';
import { expect, test } from '../support/fixtures.ts';
import { readActorFiles, readHead } from '../support/remoteFiles.ts';
import { SyncDevice } from '../support/syncDevice.ts';

// DESIGN.md §6b, rolling upgrades: device B runs the app's next release, which has a `refund`
// command, device A still the current one. B accepts a refund; A folds first and must not make
// "unknown command" its final answer: B's run stops there, and B (or any worker that has the
// command) folds it later. Two worker builds (different script URLs and command sets), two
// profiles, one actor, a real server.

let server: WebdavServer;
let proxyB: FaultProxy;

test.beforeAll(async () => {
  server = await startWebdavServer('embedded');
  proxyB = await startFaultProxy({ target: server.url });
});

test.afterAll(async () => {
  await proxyB?.close();
  await server?.stop();
});

test('an old worker folding a new command leaves it pending; the new worker folds it once', async ({
  browser,
}) => {
  const oldA = await SyncDevice.open(browser, {
    name: 'release-a',
    remote: server.url,
    confirm: 2000,
  });
  const newB = await SyncDevice.open(browser, {
    name: 'release-b',
    remote: proxyB.url,
    confirm: 300,
    worker: 'sw-next',
  });
  try {
    const actor = freshActor('upgrade');
    expect((await oldA.putTask(actor, 'a1')).status).toBe(201);

    // B uploads its refund but cannot claim a version (its MOVEs are dropped): A will fold first.
    proxyB.inject({ fault: 'drop', method: 'MOVE' });
    const refund = await call(newB.page, {
      method: 'POST',
      path: newB.path(actor, 'execute'),
      key: 'refund-1',
      body: { type: 'refund', amount: 2 },
    });
    expect(refund.status, refund.text).toBe(202);
    await expect
      .poll(async () =>
        (await readActorFiles({ url: server.url }, actor)).segments.some((segment) =>
          segment.body.includes('refund-1'),
        ),
      )
      .toBe(true);

    expect((await oldA.putTask(actor, 'a2')).status).toBe(201);
    const folded = await readHead({ url: server.url }, actor);
    expect(folded?.keys.get('a2')).toBeDefined();
    expect(folded?.keys.get('refund-1')).toBeUndefined();
    expect((folded?.state as { total?: number }).total).toBeUndefined();
    const pending = await newB.receipt(actor, 'refund-1');
    expect(pending.json).toMatchObject({ status: 'pending' });
    // A says what it held back, and why, in its status.
    expect((await oldA.status(actor)).heldBack).toEqual([
      {
        deviceId: expect.any(String) as unknown,
        own: false,
        seq: 1,
        key: 'refund-1',
        type: 'refund',
        code: 'commands-newer',
        commandsVersion: 1,
      },
    ]);

    proxyB.clear();
    await newB.syncNow();
    await newB.waitUntilSynced(actor);
    const done = await newB.receipt(actor, 'refund-1');
    expect(done.json).toMatchObject({
      status: 'done',
      answer: { status: 200, body: { status: 'done', result: { total: -2 } } },
    });
    const head = await readHead({ url: server.url }, actor);
    expect(head?.keys.get('refund-1')).toBeDefined();
    expect(head?.state).toMatchObject({ total: -2, tasks: [{ key: 'a1' }, { key: 'a2' }] });

    // The old worker pulls the result it could not compute.
    await oldA.syncNow();
    await oldA.waitForStatus(actor, (status) => expect(status.version).toBe(head?.version));
    expect(await oldA.state(actor)).toMatchObject({ total: -2 });
    expect((await oldA.status(actor)).heldBack).toEqual([]);
  } finally {
    await oldA.close();
    await newB.close();
  }
});
