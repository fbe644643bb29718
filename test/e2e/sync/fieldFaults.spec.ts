import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFaultProxy, type FaultProxy } from '../../servers/faultProxy.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';
import { call, freshActor } from '../support/app.ts';
import { expect, test } from '../support/fixtures.ts';
import { readHead } from '../support/remoteFiles.ts';
import { SyncDevice } from '../support/syncDevice.ts';

// DESIGN.md §6b against a real server and worker: a server that checks and then renames, one that
// accepts and never answers, and one restored from an older copy of its folder.

let dataDir: string;
let port = 0;
let server: WebdavServer;

test.beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'actordav-field-'));
  server = await startWebdavServer('embedded', { dataDir });
  port = Number(new URL(server.url).port);
});

test.afterAll(async () => {
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** A device that syncs through its own fault proxy. */
async function deviceBehind(
  browser: Parameters<typeof SyncDevice.open>[0],
  name: string,
  options: { timeout?: number } = {},
): Promise<{ device: SyncDevice; proxy: FaultProxy }> {
  const proxy = await startFaultProxy({ target: server.url });
  const device = await SyncDevice.open(browser, {
    name,
    remote: proxy.url,
    confirm: 300,
    ...options,
  });
  return { device, proxy };
}

/** `add` 1 under `key`: its final answer is the running total, so two forks show as one total twice. */
function addOne(device: SyncDevice, actor: string, key: string) {
  return call(device.page, {
    method: 'POST',
    path: device.path(actor, 'execute'),
    key,
    body: { type: 'add', amount: 1 },
  });
}

test('a server whose MOVE checks and then renames is refused by the probe: nothing confirmed, nothing lost', async ({
  browser,
}) => {
  const { device, proxy } = await deviceBehind(browser, 'race-move');
  try {
    proxy.inject({ fault: 'raceMove', method: 'MOVE', delayMs: 150 });
    const actor = freshActor('race');
    const answer = await device.putTask(actor, 'r1');
    expect(answer.status, answer.text).toBe(202);
    const status = await device.waitForStatus(actor, (current) => {
      expect(current.lastError?.code).toBe('remote-unsafe');
      expect(current.remote?.probe).toMatchObject({ code: 'remote-unsafe' });
    });
    expect(status.lastError?.message).toMatch(/simultaneous MOVEs/);
    expect(status.pending).toBe(1);
    expect(await readHead({ url: server.url }, actor)).toBeUndefined();
  } finally {
    await device.close();
    await proxy.close();
  }
});

test("with the probe forced off, two MOVEs that both win: no device confirms a version that is not the remote's", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const proxy = await startFaultProxy({ target: server.url });
  const open = (name: string) =>
    SyncDevice.open(browser, { name, remote: proxy.url, confirm: 0, worker: 'sw-unprobed' });
  const devices = [await open('unprobed-a'), await open('unprobed-b')];
  try {
    proxy.inject({ fault: 'raceMove', method: 'MOVE', delayMs: 400 });
    const actor = freshActor('unprobed');
    const keys: string[] = [];
    // Both devices accept at once, so both fold and claim the same next version; until the proxy
    // has let two MOVEs onto one name win at least twice.
    for (let round = 1; round <= 8 && proxy.doubleWins < 2; round++) {
      const batch = devices.map((device) => `${device.name}-${round}`);
      keys.push(...batch);
      const answers = await Promise.all(
        devices.map((device, i) => addOne(device, actor, batch[i]!)),
      );
      expect(answers.map((answer) => answer.status)).toEqual([202, 202]);
      for (const device of devices) await device.waitUntilSynced(actor, 60_000);
    }
    expect(proxy.doubleWins, 'the race never gave two winners').toBeGreaterThanOrEqual(2);

    const head = await readHead({ url: server.url }, actor);
    expect(head?.state).toMatchObject({ total: keys.length });
    const totals: number[] = [];
    for (const device of devices) {
      const status = await device.status(actor);
      expect(status.lastError, JSON.stringify(status)).toBeNull();
      expect(status.version).toBe(head?.version);
      expect(await device.state(actor)).toEqual(head?.state);
      for (const key of keys.filter((key) => key.startsWith(device.name))) {
        const receipt = (await device.receipt(actor, key)).json as {
          status: string;
          answer: { body: { result: { total: number } } };
        };
        expect(receipt.status).toBe('done');
        totals.push(receipt.answer.body.result.total);
      }
    }
    // Every message ran once, on the one history the remote holds: the totals 1…n, none twice.
    expect(totals.sort((a, b) => a - b)).toEqual(keys.map((_, i) => i + 1));
  } finally {
    for (const device of devices) await device.close();
    await proxy.close();
  }
});

test('a remote that accepts and never answers: remote-timeout, the sync lock let go', async ({
  browser,
}) => {
  const { device, proxy } = await deviceBehind(browser, 'hanging', { timeout: 1_000 });
  try {
    const actor = freshActor('hang');
    proxy.inject({ fault: 'delay', delayMs: 120_000 });
    const answer = await device.putTask(actor, 'h1');
    expect(answer.status, answer.text).toBe(202);
    await device.waitForStatus(actor, (status) => {
      expect(status.lastError?.code).toBe('remote-timeout');
      expect(status.syncing).toBe(false);
      expect(status.pending).toBe(1);
    });
    proxy.clear();
    await device.syncNow();
    const synced = await device.waitUntilSynced(actor);
    expect(synced.lastError).toBeNull();
  } finally {
    await device.close();
    await proxy.close();
  }
});

test('a remote restored from an older copy: remote-rollback, never folded onto backwards', async ({
  browser,
}) => {
  const { device, proxy } = await deviceBehind(browser, 'restored');
  const backup = await mkdtemp(join(tmpdir(), 'actordav-backup-'));
  try {
    const actor = freshActor('restore');
    expect([201, 202]).toContain((await device.putTask(actor, 'b1')).status);
    await device.waitUntilSynced(actor);
    await cp(join(dataDir, actor), join(backup, actor), { recursive: true });
    expect([201, 202]).toContain((await device.putTask(actor, 'b2')).status);
    const confirmed = await device.waitUntilSynced(actor);
    const state = await device.state(actor);

    // The server's folder goes back to the copy taken after b1 (a restore from backup).
    await server.stop();
    await rm(join(dataDir, actor), { recursive: true, force: true });
    await cp(join(backup, actor), join(dataDir, actor), { recursive: true });
    server = await startWebdavServer('embedded', { dataDir, port });

    expect((await device.putTask(actor, 'b3')).status).toBe(202);
    const status = await device.waitForStatus(actor, (current) =>
      expect(current.lastError?.code).toBe('remote-rollback'),
    );
    expect(status.version).toBe(confirmed.version);
    expect(status.pending).toBe(1);
    // What was confirmed stays as it was: b1 and b2 answered, b3 on top, nothing rolled back.
    const tasks = (await device.state(actor)) as { tasks: { key: string }[] };
    expect(tasks.tasks.map((task) => task.key)).toEqual(['b1', 'b2', 'b3']);
    expect(state).toMatchObject({ tasks: [{ key: 'b1' }, { key: 'b2' }] });
    const head = await readHead({ url: server.url }, actor);
    expect(head?.version).toBeLessThan(confirmed.version);
  } finally {
    await device.close();
    await proxy.close();
    await rm(backup, { recursive: true, force: true });
  }
});
