import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from '@playwright/test';
import { expect, test } from '../support/fixtures.ts';
import type { BasicCredentials } from '../../../src/devRemote/checkBasicAuth.ts';
import { startFaultProxy, type FaultProxy } from '../../servers/faultProxy.ts';
import { freePort } from '../../servers/freePort.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer, WebdavServerKind } from '../../servers/WebdavServer.ts';
import type { Answer } from '../support/app.ts';
import { freshActor } from '../support/app.ts';
import { appUrl } from '../support/browser.ts';
import { engineHas, skipWithout } from '../support/engines.ts';
import { launchPersistent } from '../support/launchEngine.ts';
import {
  basicAuth,
  listRemote,
  readActorFiles,
  readHead,
  type RemoteReader,
} from '../support/remoteFiles.ts';
import { basicToken, openSyncPage, SyncDevice } from '../support/syncDevice.ts';
import { stopWorkers } from '../support/worker.ts';
import { expectSynced, taskKeys } from './expectRemote.ts';

// Every scenario of DESIGN.md §6/§7 against each server: the embedded default and the two
// trusted CI servers (TESTING.md). One server, fault proxy and device per server kind.
const kinds: readonly WebdavServerKind[] = ['embedded', 'lighttpd', 'apache'];

/** `prefix1` … `prefixN`. */
const keysFor = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, index) => `${prefix}${index + 1}`);

/** Each answer is a tentative 202 or a final 201, pointing at its receipt. */
function expectAccepted(device: SyncDevice, actor: string, keys: string[], answers: Answer[]) {
  answers.forEach((answer, index) => {
    const key = keys[index] ?? '';
    expect([201, 202], answer.text).toContain(answer.status);
    expect(answer.headers['location']).toBe(device.path(actor, `tasks/${key}`));
  });
}

/** Every receipt is final: done, with the 201 the version that folded it gave. */
async function expectDone(device: SyncDevice, actor: string, keys: string[]) {
  for (const key of keys) {
    const receipt = await device.receipt(actor, key);
    expect(receipt.status, receipt.text).toBe(200);
    expect(receipt.json, key).toMatchObject({
      key,
      status: 'done',
      answer: { status: 201, body: { key, status: 'done' } },
    });
  }
}

for (const kind of kinds) {
  test.describe(kind, () => {
    const name = `sync-${kind}`;
    let dataDir = '';
    let port = 0;
    let server: WebdavServer | undefined;
    let proxy: FaultProxy;
    let device: SyncDevice;
    /** Reads the server directly, past the fault proxy. */
    const remote = (): RemoteReader => ({ url: `http://127.0.0.1:${port}/` });
    const openDevice = (browser: Browser) =>
      SyncDevice.open(browser, { name, remote: proxy.url, confirm: 2000 });

    test.beforeAll(async ({ browser }) => {
      dataDir = await mkdtemp(join(tmpdir(), `actordav-sync-${kind}-`));
      port = await freePort();
      server = await startWebdavServer(kind, { port, dataDir });
      proxy = await startFaultProxy({ target: server.url });
      device = await openDevice(browser);
      // Reading an actor this device has never seen pulls it: the worker probes the remote then.
      await device.waitForStatus('warm-up', (status) =>
        expect(status.remote?.probe).toBe('passed'),
      );
    });
    test.afterEach(() => proxy.clear());
    test.afterAll(async () => {
      // Optional chains: beforeAll may have failed half-way.
      await device?.close();
      await proxy?.close();
      await server?.stop();
      await rm(dataDir, { recursive: true, force: true });
    });

    test('online: each message once in the head, the §5 layout, nothing pending', async () => {
      const actor = freshActor('online');
      const first = await device.putTask(actor, 'o0');
      expect(first.status, first.text).toBe(201);
      expect(first.headers['location']).toBe(device.path(actor, 'tasks/o0'));
      const concurrent = keysFor('c', 12);
      expectAccepted(device, actor, concurrent, await device.putTasks(actor, concurrent));
      const sequential = keysFor('s', 3);
      for (const key of sequential) {
        const answer = await device.putTask(actor, key);
        expect(answer.status, answer.text).toBe(201);
      }
      const all = ['o0', ...concurrent, ...sequential];

      const status = await device.waitUntilSynced(actor);
      expect(status.lastError).toBeNull();
      const files = await expectSynced(remote(), actor, all);
      expect(status.version).toBe(files.head.version);
      // Group commit: versions grow with rounds, not messages.
      expect(files.versions.length).toBeLessThan(all.length);
      expect(Object.keys(files.head.devices)).toHaveLength(1);
      // What the head holds, its device deleted from log/ (docs/PROTOCOL.md, Removal).
      for (const segment of files.segments) {
        expect(segment.last).toBeGreaterThan(files.head.devices[segment.deviceId]?.seq ?? 0);
      }
      await expectDone(device, actor, all);
      expect(await device.state(actor)).toEqual(files.head.state);
    });

    test('remote down: 202 with Location, confirmed once within 30 s of its return', async () => {
      const actor = freshActor('down');
      const keys = keysFor('d', 5);
      proxy.inject({ fault: 'drop' });
      const answers = await device.putTasks(actor, keys);
      answers.forEach((answer, index) => {
        expect(answer.status, answer.text).toBe(202);
        expect(answer.headers['location']).toBe(device.path(actor, `tasks/${keys[index]}`));
        expect(answer.json).toMatchObject({ key: keys[index], status: 'pending' });
      });
      await device.waitForStatus(actor, (status) => {
        expect(status.pending).toBe(keys.length);
        expect(status.lastError?.code).toBe('remote-unreachable');
      });
      expect(await listRemote(remote(), `${actor}/`)).toBeUndefined();

      proxy.clear();
      const back = Date.now();
      // No trigger from here: the worker's own backoff (capped at 15 s) must find the remote.
      const status = await device.waitUntilSynced(actor, 30_000);
      console.log(`[${kind}] remote back → confirmed in ${Date.now() - back} ms`);
      expect(status.lastError).toBeNull();
      await expectSynced(remote(), actor, keys);
      await expectDone(device, actor, keys);
    });

    test('lost acknowledgement of the log upload PUT: each message once', async () => {
      const actor = freshActor('ack-put');
      const keys = keysFor('p', 4);
      const before = proxy.faults.lostAck;
      proxy.inject({
        fault: 'lostAck',
        method: 'PUT',
        path: new RegExp(`/${actor}/log/`),
        times: 1,
      });
      expectAccepted(device, actor, keys, await device.putTasks(actor, keys));
      await device.waitUntilSynced(actor);
      expect(proxy.faults.lostAck - before).toBe(1);
      await expectSynced(remote(), actor, keys);
      await expectDone(device, actor, keys);
    });

    test('lost acknowledgement of the claiming MOVE: each message once', async () => {
      const actor = freshActor('ack-move');
      const keys = keysFor('m', 4);
      const before = proxy.faults.lostAck;
      const staging = new RegExp(`/${actor}/staging/`);
      proxy.inject({ fault: 'lostAck', method: 'MOVE', path: staging, times: 1 });
      expectAccepted(device, actor, keys, await device.putTasks(actor, keys));
      await device.waitUntilSynced(actor);
      expect(proxy.faults.lostAck - before).toBe(1);
      const files = await expectSynced(remote(), actor, keys);
      await expectDone(device, actor, keys);
      expect(await device.state(actor)).toEqual(files.head.state);
    });

    test('pending work survives a browser restart', async ({ browserName }) => {
      skipWithout(browserName, 'persistentProfile');
      const profile = await mkdtemp(join(tmpdir(), `actordav-profile-${kind}-`));
      const options = { name: `restart-${kind}`, remote: remote().url, confirm: 300 };
      const launch = () => launchPersistent(browserName, profile, { baseURL: appUrl });
      const actor = freshActor('restart');
      const keys = keysFor('r', 4);
      let context = await launch();
      try {
        const page = context.pages()[0] ?? (await context.newPage());
        await openSyncPage(page, options);
        await server?.stop();
        server = undefined;
        const before = new SyncDevice(page, options.name);
        const answers = await before.putTasks(actor, keys);
        for (const answer of answers) expect(answer.status, answer.text).toBe(202);
        await before.waitForStatus(actor, (status) => {
          expect(status.pending).toBe(keys.length);
          expect(status.lastError?.code).toBe('remote-unreachable');
        });
        // A worker waiting out its backoff holds Chromium's shutdown for 30 s: stop it first, as a
        // browser that quits would.
        await stopWorkers(page);
        await context.close();

        server = await startWebdavServer(kind, { port, dataDir });
        expect(await listRemote(remote(), `${actor}/`)).toBeUndefined();
        context = await launch();
        const after = new SyncDevice(context.pages()[0] ?? (await context.newPage()), options.name);
        await openSyncPage(after.page, options);
        await after.waitUntilSynced(actor);
        await expectSynced(remote(), actor, keys);
        await expectDone(after, actor, keys);
      } finally {
        await context.close();
        server ??= await startWebdavServer(kind, { port, dataDir });
        await rm(profile, { recursive: true, force: true });
      }
    });

    test('two devices writing one actor at once: each message once, both converge', async ({
      browser,
    }) => {
      const actor = freshActor('two');
      const other = await openDevice(browser);
      try {
        const mine = keysFor('a', 20);
        const theirs = keysFor('b', 20);
        const [answersA, answersB] = await Promise.all([
          device.putTasks(actor, mine),
          other.putTasks(actor, theirs),
        ]);
        expectAccepted(device, actor, mine, answersA);
        expectAccepted(other, actor, theirs, answersB);
        await Promise.all([device.waitUntilSynced(actor), other.waitUntilSynced(actor)]);
        const files = await expectSynced(remote(), actor, [...mine, ...theirs]);
        expect(Object.keys(files.head.devices)).toHaveLength(2);

        // Pull: each device reads the head the other may have written last.
        await Promise.all([device.syncNow(), other.syncNow()]);
        for (const one of [device, other]) {
          await one.waitForStatus(actor, (status) =>
            expect(status.version).toBe(files.head.version),
          );
          expect(await one.state(actor)).toEqual(files.head.state);
        }
        await expectDone(device, actor, mine);
        await expectDone(other, actor, theirs);
      } finally {
        await other.close();
      }
    });

    test('a remote whose MOVE ignores Overwrite: F is refused by the probe', async ({
      browser,
    }) => {
      const unsafeProxy = await startFaultProxy({ target: remote().url });
      unsafeProxy.inject({ fault: 'overwrite', method: 'MOVE' });
      const unsafe = await SyncDevice.open(browser, {
        name: `unsafe-${kind}`,
        remote: unsafeProxy.url,
        confirm: 300,
      });
      try {
        const actor = freshActor('unsafe');
        const keys = keysFor('u', 3);
        // Hold the probe's last write before the failing check, so that a message arrives while
        // the failing round runs.
        unsafeProxy.inject({
          fault: 'delay',
          method: 'PUT',
          path: /\/\.actordav-probe-[^/]+\/b\/x$/,
          delayMs: 1500,
          times: 1,
        });
        for (const answer of await unsafe.putTasks(actor, keys)) {
          expect(answer.status, answer.text).toBe(202);
        }
        await expect.poll(() => unsafeProxy.faults.delay, { timeout: 10_000 }).toBe(1);
        expect((await unsafe.status(actor)).syncing).toBe(true);
        const during = await unsafe.putTask(actor, 'u4');
        expect(during.status, during.text).toBe(202);
        await unsafe.waitForStatus(actor, (status) => {
          expect(status.lastError?.code).toBe('remote-unsafe');
          expect(status.remote?.probe).toMatchObject({ code: 'remote-unsafe' });
          expect(status.pending).toBe(keys.length + 1);
          expect(status.syncing).toBe(false);
        });
        expect(unsafeProxy.faults.overwrite).toBeGreaterThanOrEqual(1);

        // Nothing is lost: every accepted message reaches a log segment on the remote (u4 was
        // a trigger too, §6), though nothing is confirmed.
        const logged = async () => {
          const files = await readActorFiles(remote(), actor);
          return files.segments
            .flatMap(
              (segment) => (JSON.parse(segment.body) as { messages: { key: string }[] }).messages,
            )
            .map((message) => message.key)
            .sort();
        };
        await expect
          .poll(logged, { timeout: 5_000, message: 'u4, accepted during the failing round' })
          .toEqual([...keys, 'u4']);
        const later = await unsafe.putTask(actor, 'u5');
        expect(later.status, later.text).toBe(202);
        const all = [...keys, 'u4', 'u5'];
        await expect.poll(logged, { timeout: 5_000 }).toEqual(all);
        await unsafe.waitForStatus(actor, (status) => {
          expect(status.pending).toBe(all.length);
          expect(status.lastError?.code).toBe('remote-unsafe');
        });
        expect((await readActorFiles(remote(), actor)).versionFolders).toEqual([]);
        for (const key of all) {
          expect((await unsafe.receipt(actor, key)).json).toMatchObject({ status: 'pending' });
        }
        // The probe cleaned up its scratch collection.
        const root = (await listRemote(remote(), '')) ?? [];
        expect(root.filter((entry) => entry.name.startsWith('.actordav-probe-'))).toEqual([]);
      } finally {
        await unsafe.close();
        await unsafeProxy.close();
      }
    });

    test('a wiped device retrying old keys: no second effect, its final answer a replay', async ({
      browser,
    }) => {
      const actor = freshActor('wiped');
      const original = [await device.putTask(actor, 'w1'), await device.putTask(actor, 'w2')];
      for (const answer of original) expect(answer.status, answer.text).toBe(201);
      const before = await readHead(remote(), actor);
      if (before === undefined) throw new Error('no head after two confirmed messages');
      expect(taskKeys(before)).toEqual(['w1', 'w2']);
      // w1's answer is acknowledged (dropped from the version), w2's still carried (§5).
      const author = before.keys.get('w1')?.[1] ?? '';
      expect(Object.keys(before.devices[author]?.results ?? {})).toEqual(['2']);

      const wiped = await openDevice(browser);
      try {
        const retried = [await wiped.putTask(actor, 'w1'), await wiped.putTask(actor, 'w2')];
        expectAccepted(wiped, actor, ['w1', 'w2'], retried);
        await wiped.waitUntilSynced(actor);
        const files = await expectSynced(remote(), actor, ['w1', 'w2']);
        expect(files.head.state).toEqual(before.state);
        expect([...files.head.keys.entries()]).toEqual([...before.keys.entries()]);
        expect(Object.keys(files.head.devices)).toHaveLength(2);

        const first = await wiped.receipt(actor, 'w1');
        expect(first.json).toMatchObject({
          status: 'done',
          answer: { status: 201, body: { key: 'w1', status: 'done', replayed: true } },
        });
        const second = await wiped.receipt(actor, 'w2');
        expect(second.json).toMatchObject({ status: 'done', answer: { status: 201 } });
        expect((second.json as { answer: { body: unknown } }).answer.body).toEqual(
          original[1]?.json,
        );
        const again = await wiped.putTask(actor, 'w2');
        expect(again.status).toBe(201);
        expect(again.headers['idempotent-replayed']).toBe('true');
        expect(again.text).toBe(original[1]?.text);
        expect(await wiped.state(actor)).toEqual(before.state);
      } finally {
        await wiped.close();
      }
    });

    test('401: pending until the credentials are fixed, then synced once', async ({
      browser,
      browserName,
    }) => {
      const credentials: BasicCredentials = { username: 'barista', password: 'espresso' };
      const authServer = await startWebdavServer(kind, { auth: credentials });
      const reader: RemoteReader = {
        url: authServer.url,
        headers: { authorization: basicAuth(credentials.username, credentials.password) },
      };
      const locked = await SyncDevice.open(browser, {
        name: `auth-${kind}`,
        remote: authServer.url,
        confirm: 300,
      });
      try {
        const actor = freshActor('auth');
        // An app reads the status first: the worker pulls the unknown actor and is refused.
        await locked.waitForStatus(actor, (status) =>
          expect(status.lastError?.code).toBe('remote-unauthorized'),
        );
        const keys = keysFor('t', 3);
        for (const answer of await locked.putTasks(actor, keys)) {
          expect(answer.status, answer.text).toBe(202);
        }
        const refused = await locked.waitForStatus(actor, (status) => {
          expect(status.pending).toBe(keys.length);
          expect(status.syncing).toBe(false);
          expect(status.lastError?.code).toBe('remote-unauthorized');
        });
        expect(await listRemote(reader, `${actor}/`)).toBeUndefined();

        // A wrong password is refused too; a Background Sync event, where the engine has one, is a
        // trigger like any other (elsewhere a page's nudge is).
        await locked.setToken(basicToken(credentials.username, 'ristretto'));
        if (engineHas(browserName, 'backgroundSync')) await locked.backgroundSync();
        else await locked.syncNow();
        await locked.waitForStatus(actor, (status) => {
          expect(status.lastError?.at).not.toBe(refused.lastError?.at);
          expect(status.lastError?.code).toBe('remote-unauthorized');
          expect(status.pending).toBe(keys.length);
        });

        await locked.setToken(basicToken(credentials.username, credentials.password));
        await locked.syncNow();
        // The trigger starts a round at once: no backoff to wait out.
        const status = await locked.waitUntilSynced(actor, 10_000);
        expect(status.lastError).toBeNull();
        expect(status.remote?.probe).toBe('passed');
        await expectSynced(reader, actor, keys);
        await expectDone(locked, actor, keys);
      } finally {
        await locked.close();
        await authServer.stop();
      }
    });

    for (const step of ['PUT', 'MOVE'] as const) {
      test(`worker stopped while the ${step} is in flight: each message once`, async ({
        browserName,
      }) => {
        skipWithout(browserName, 'stopWorker');
        const actor = freshActor(`stop-${step.toLowerCase()}`);
        const keys = keysFor(step === 'PUT' ? 'x' : 'y', 5);
        const folder = step === 'PUT' ? 'log' : 'staging';
        const before = proxy.faults.delay;
        proxy.inject({
          fault: 'delay',
          method: step,
          path: new RegExp(`/${actor}/${folder}/`),
          delayMs: 2500,
          times: 1,
        });
        const sending = device.putTasks(actor, keys, { retryUnanswered: true });
        await expect.poll(() => proxy.faults.delay - before, { timeout: 10_000 }).toBe(1);
        await stopWorkers(device.page);
        expectAccepted(device, actor, keys, await sending);
        await device.waitUntilSynced(actor);
        const files = await expectSynced(remote(), actor, keys);
        await expectDone(device, actor, keys);
        expect(await device.state(actor)).toEqual(files.head.state);
      });
    }
  });
}
