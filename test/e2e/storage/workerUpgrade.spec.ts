import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test } from '../support/fixtures.ts';
import { startFaultProxy, type FaultProxy } from '../../servers/faultProxy.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';
import { freshActor } from '../support/app.ts';
import { appUrl } from '../support/browser.ts';
import { currentEngine, skipWithout } from '../support/engines.ts';
import { launchPersistent } from '../support/launchEngine.ts';
import { readHead } from '../support/remoteFiles.ts';
import { SyncDevice } from '../support/syncDevice.ts';

// A new version of the worker (a changed script URL; the test app calls skipWaiting and
// clientsClaim) arrives while messages wait for a remote that is down. Nothing pending may be
// lost and each message is confirmed exactly once when the remote is back. Persistent profiles,
// so that a browser restart keeps the database and the waiting version.

const name = 'upgrade';
let server: WebdavServer;
let proxy: FaultProxy;
let profile: string;
let context: BrowserContext | undefined;

test.beforeAll(async () => {
  server = await startWebdavServer('embedded');
  proxy = await startFaultProxy({ target: server.url });
});

test.beforeEach(async ({ browserName }) => {
  skipWithout(browserName, 'persistentProfile');
  profile = await mkdtemp(join(tmpdir(), 'actordav-upgrade-'));
});

test.afterEach(async () => {
  proxy.clear();
  await context?.close();
  context = undefined;
  await rm(profile, { recursive: true, force: true });
});

test.afterAll(async () => {
  await proxy.close();
  await server.stop();
});

const keys = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** The app's page; `release` changes the worker's script URL, i.e. deploys a new version. */
const pageUrl = (release?: string) =>
  `/${name}/?${new URLSearchParams({
    variant: 'sync',
    remote: proxy.url,
    confirm: '300',
    ...(release === undefined ? {} : { release }),
  }).toString()}`;

async function launch(): Promise<Page> {
  context = await launchPersistent(currentEngine(), profile, { baseURL: appUrl });
  return context.pages()[0] ?? (await context.newPage());
}

async function restart(): Promise<Page> {
  await context?.close();
  return launch();
}

/** Which worker controls the page, and in which state. */
function controller(page: Page): Promise<{ url: string; state: string }> {
  return page.evaluate(() => ({
    url: navigator.serviceWorker.controller?.scriptURL ?? '',
    state: navigator.serviceWorker.controller?.state ?? 'none',
  }));
}

/**
 * Messages accepted while the remote is down (202, pending), then the page of a new release
 * loads: it registers the new worker, which installs and takes over (or waits, were the old
 * one still held busy).
 */
async function pendingThenNewVersion(actor: string, pending: string[]): Promise<SyncDevice> {
  const page = await launch();
  await page.goto(pageUrl());
  await expect(page.locator('#ready')).toHaveText('ready');
  const device = new SyncDevice(page, name);
  await device.waitForStatus('warm-up', (status) => expect(status.remote?.probe).toBe('passed'));
  proxy.inject({ fault: 'drop' });
  for (const answer of await device.putTasks(actor, pending)) {
    expect(answer.status, answer.text).toBe(202);
  }
  expect((await device.status(actor)).pending).toBe(pending.length);
  await page.goto(pageUrl('2'));
  await expect(page.locator('#ready')).toHaveText('ready');
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        const worker = registration?.waiting ?? registration?.active;
        return worker?.scriptURL ?? '';
      }),
    )
    .toContain('release=2');
  return device;
}

const isNewVersion = { url: expect.stringContaining('release=2') as unknown, state: 'activated' };

test('a new worker version activating with pending messages: nothing lost, all confirmed once', async () => {
  const actor = freshActor('upgrade');
  const before = keys('old', 12);
  await pendingThenNewVersion(actor, before);
  // The browser restarts: the new version activates, with the messages still pending in IndexedDB.
  const page = await restart();
  proxy.clear();
  await page.goto(pageUrl('2'));
  await expect(page.locator('#ready')).toHaveText('ready');
  await expect.poll(() => controller(page)).toEqual(isNewVersion);
  const device = new SyncDevice(page, name);
  const after = keys('new', 5);
  for (const answer of await device.putTasks(actor, after)) {
    expect([201, 202], answer.text).toContain(answer.status);
  }
  await device.syncNow();
  await device.waitUntilSynced(actor);
  const all = [...before, ...after];
  const head = await readHead({ url: server.url }, actor);
  const logged = ((head?.state['tasks'] ?? []) as { key: string }[]).map((task) => task.key);
  expect([...logged].sort()).toEqual([...all].sort());
  expect(new Set(logged).size).toBe(logged.length);
  for (const key of all) {
    const receipt = await device.receipt(actor, key);
    expect(receipt.json, key).toMatchObject({ status: 'done', answer: { status: 201 } });
  }
});

test('a new version registered while the remote is down takes over and confirms everything once the remote is back', async () => {
  const actor = freshActor('back');
  const before = keys('old', 6);
  const device = await pendingThenNewVersion(actor, before);
  proxy.clear();
  await device.syncNow();
  await expect.poll(() => controller(device.page), { timeout: 45_000 }).toEqual(isNewVersion);
  await device.waitUntilSynced(actor);
  const head = await readHead({ url: server.url }, actor);
  const logged = ((head?.state['tasks'] ?? []) as { key: string }[]).map((task) => task.key);
  expect(logged).toEqual(before);
});

// An active worker with pending extended events cannot be replaced (SW spec, Try Activate), so
// skipWaiting does not help if `waitUntil` holds the retry loop: only an attempt may be held.
test('a new worker version activates while the remote is down', async () => {
  const device = await pendingThenNewVersion(freshActor('activate'), keys('old', 3));
  await expect.poll(() => controller(device.page), { timeout: 20_000 }).toEqual(isNewVersion);
});

// Navigations wait for activation, so the start-up sync must never be handed to `activate`:
// with the remote down, the new version would stay `activating` and the app would not load.
test('after a restart with a new version waiting and the remote down, the app loads', async () => {
  const actor = freshActor('offline-start');
  await pendingThenNewVersion(actor, keys('old', 3));
  const page = await restart();
  await page.goto(pageUrl('2'), { timeout: 15_000 });
  await expect(page.locator('#ready')).toHaveText('ready');
  const status = await new SyncDevice(page, name).status(actor);
  expect(status.pending).toBe(3);
});
