import type { Browser } from '@playwright/test';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';
import type { VersionFile } from '../../../src/sync/versionFile.ts';
import { freshActor } from '../support/app.ts';
import { appUrl } from '../support/browser.ts';
import { launchFakeClockChromium } from '../support/fakeClock.ts';
import { expect, test } from '../support/fixtures.ts';
import { readActorFiles, readHead } from '../support/remoteFiles.ts';
import { openSyncPage, SyncDevice, type SyncDeviceOptions } from '../support/syncDevice.ts';
import { expectEachOnce, taskKeys } from './expectRemote.ts';

// DESIGN.md §6b, clocks: no device's clock decides what the registry forgets. A device whose
// clock is 31 days fast (a whole Chromium under libfaketime, ../shared/TESTING.md) folds between
// two honest ones; the remote key TTL is 30 days, so had its fold counted from its own Date.now()
// it would have dropped every key the honest device confirmed, and a wiped profile retrying one
// would run it a second time. The registry's clock is the server's: every key stays, and the
// retry is a replay. Chromium only: the skew comes from wrapping Chromium's executable.

const day = 24 * 60 * 60 * 1000;
/** How far a version's clock may be from the runner's (the server's, same machine) under load. */
const nearNow = 10 * 60 * 1000;

let server: WebdavServer;
let fast: Browser;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await startWebdavServer('embedded');
  fast = await launchFakeClockChromium('+31d');
});

test.afterAll(async () => {
  await fast?.close();
  await server?.stop();
});

function expectNearNow(at: number | undefined, what: string): void {
  expect(at, what).toBeDefined();
  expect(
    Math.abs((at ?? 0) - Date.now()),
    `${what}: ${new Date(at ?? 0).toISOString()}`,
  ).toBeLessThan(nearNow);
}

/**
 * `SyncDevice.open` in the fast browser, where libfaketime (intercepting every time call of every
 * Chromium process) makes the first page load take many times longer: the page is opened again
 * until its worker controls it.
 */
async function openSlowDevice(options: SyncDeviceOptions): Promise<SyncDevice> {
  const context = await fast.newContext({ baseURL: appUrl, serviceWorkers: 'allow' });
  const page = await context.newPage();
  for (let attempt = 1; ; attempt++) {
    try {
      await openSyncPage(page, options);
      return new SyncDevice(page, options.name, context);
    } catch (error) {
      if (attempt === 6) throw error;
    }
  }
}

test('a device 31 days fast folding between honest ones keeps every key; a wiped retry replays', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const remote = { url: server.url };
  const actor = freshActor('skew');
  const honestA = await SyncDevice.open(browser, { name: 'honest-a', remote: server.url });
  let before: VersionFile | undefined;
  try {
    for (const key of ['a1', 'a2']) {
      const answer = await honestA.putTask(actor, key);
      expect([201, 202], answer.text).toContain(answer.status);
      await honestA.waitUntilSynced(actor);
    }
    before = await readHead(remote, actor);
    // a1's answer is acknowledged (dropped from the version): a replay of it can only come from
    // the key registry.
    const author = before?.keys.get('a1')?.[1] ?? '';
    expect(Object.keys(before?.devices[author]?.results ?? {})).toEqual(['2']);
  } finally {
    await honestA.close();
  }

  // The fast device: its page and its worker both live 31 days ahead.
  const fastF = await openSlowDevice({
    name: 'fast-f',
    remote: server.url,
    confirm: 10_000,
  });
  try {
    const skew = (await fastF.page.evaluate(() => Date.now())) - Date.now();
    expect(skew).toBeGreaterThan(31 * day - nearNow);
    expect(skew).toBeLessThan(31 * day + nearNow);
    const accepted = await fastF.putTask(actor, 'f1');
    expect([201, 202], accepted.text).toContain(accepted.status);
    await fastF.waitUntilSynced(actor, 60_000);
    const folded = await readHead(remote, actor);
    expect(folded?.version).toBe((before?.version ?? 0) + 1);
    expect(
      folded?.keys.get('f1')?.[1],
      'folded by the fast device, the only one open',
    ).toBeDefined();
    expectEachOnce(folded as VersionFile, ['a1', 'a2', 'f1']);
    // Its worker logged the message at its own (wrong) time: the skew reached the worker.
    const files = await readActorFiles(remote, actor);
    const own = files.segments.find((segment) => segment.deviceId === folded?.keys.get('f1')?.[1]);
    const logged = (JSON.parse(own?.body ?? '{}') as { messages?: { at: number }[] }).messages;
    expect(logged?.[0]?.at ?? 0).toBeGreaterThan(Date.now() + 30 * day);
  } finally {
    await fastF.close();
  }

  const honestB = await SyncDevice.open(browser, { name: 'honest-b', remote: server.url });
  try {
    const answer = await honestB.putTask(actor, 'b1');
    expect([201, 202], answer.text).toContain(answer.status);
    await honestB.waitUntilSynced(actor);
  } finally {
    await honestB.close();
  }

  // Every version's clock, and every key's foldedAt, is the server's time: now, not a month on.
  const afterB = await readActorFiles(remote, actor);
  const head = afterB.versions.at(-1);
  if (head === undefined) throw new Error('no version claimed');
  expectEachOnce(head, ['a1', 'a2', 'f1', 'b1']);
  for (const version of afterB.versions) {
    expectNearNow(version.clock, `v${version.version} clock`);
    expect(Date.parse(version.updatedAt)).toBe(version.clock);
  }
  for (const [key, entry] of head.keys.entries()) expectNearNow(entry[3], `${key} foldedAt`);

  // A wiped profile of the first honest device retries a1: the registry still knows it.
  const wiped = await SyncDevice.open(browser, { name: 'honest-a', remote: server.url });
  try {
    const retried = await wiped.putTask(actor, 'a1');
    expect([201, 202], retried.text).toContain(retried.status);
    await wiped.waitUntilSynced(actor);
    const receipt = await wiped.receipt(actor, 'a1');
    expect(receipt.json).toMatchObject({
      status: 'done',
      answer: { status: 201, body: { key: 'a1', status: 'done', replayed: true } },
    });
    const last = await readHead(remote, actor);
    expect(last?.state).toEqual(head.state);
    expect(taskKeys(last as VersionFile)).toEqual(['a1', 'a2', 'f1', 'b1']);
    expect(await wiped.state(actor)).toEqual(head.state);
  } finally {
    await wiped.close();
  }
});
