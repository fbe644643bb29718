import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, firefox, type BrowserContext, type Page } from '@playwright/test';
import { expect, test } from '../support/fixtures.ts';
import { call, expectProblem, freshActor, openApp } from '../support/app.ts';
import { appUrl, chromiumLaunchOptions, firefoxLaunchOptions } from '../support/browser.ts';
import { dumpDatabase, receiptsOf } from '../support/database.ts';
import { skipWithout } from '../support/engines.ts';
import { stopWorkers } from '../support/worker.ts';

// A device that runs out of room (DESIGN.md §2: QuotaExceededError → 507 storage-full): the
// message that does not fit is refused and its key stays free, and nothing already accepted is
// lost. The quota is made small before the database is first opened, in a persistent profile (an
// off-the-record one keeps IndexedDB in memory): in Chromium with CDP
// `Storage.overrideQuotaForOrigin` (it keeps the room it found when it opened the database), in
// Firefox with the pref `dom.quotaManager.temporaryStorage.fixedLimit`, which is read at launch.

const origin = new URL(appUrl).origin;
const quotaKb = 600;
let profile: string | undefined;
let context: BrowserContext | undefined;
let page: Page;
/** Gives the origin its room back; a new worker then opens the database and sees it. */
let makeRoom: () => Promise<void>;

test.beforeAll(async ({ browserName }) => {
  skipWithout(browserName, 'quotaOverride');
  const dir = await mkdtemp(join(tmpdir(), 'actordav-quota-'));
  profile = dir;
  const shared = { baseURL: appUrl, serviceWorkers: 'allow' } as const;
  if (browserName === 'firefox') {
    const launch = async (limitKb: number) => {
      context = await firefox.launchPersistentContext(dir, {
        ...firefoxLaunchOptions,
        ...shared,
        firefoxUserPrefs: { 'dom.quotaManager.temporaryStorage.fixedLimit': limitKb },
      });
      page = context.pages()[0] ?? (await context.newPage());
      await openApp(page);
    };
    await launch(quotaKb);
    // A relaunch with room: the profile keeps a pref it was given, so the new limit is explicit (1 GB).
    makeRoom = async () => {
      await context?.close();
      await launch(1024 * 1024);
    };
    return;
  }
  context = await chromium.launchPersistentContext(dir, { ...chromiumLaunchOptions, ...shared });
  page = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: quotaKb * 1024 });
  await openApp(page);
  makeRoom = async () => {
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await stopWorkers(page);
  };
});

test.afterAll(async () => {
  // Optional chains: beforeAll may have been skipped (an engine without the quota override).
  await context?.close();
  if (profile !== undefined) await rm(profile, { recursive: true, force: true });
});

// Incompressible, so that every write really takes room.
const padding = () => randomBytes(24 * 1024).toString('base64');
const putTask = (actor: string, key: string, pad: string) =>
  call(page, { method: 'PUT', path: `/actors/${actor}/tasks`, key, body: { key, pad } });

test('storage full: 507 storage-full, the key stays free, nothing accepted is lost', async () => {
  const actor = freshActor('quota');
  const accepted: string[] = [];
  const pads = new Map<string, string>();
  for (let i = 0; i < 3; i++) {
    const answer = await putTask(actor, `small-${i}`, '');
    expect(answer.status, answer.text).toBe(201);
    accepted.push(`small-${i}`);
  }
  // Every task rewrites the actor's whole state, so big tasks soon exceed the quota.
  let refusedKey: string | undefined;
  for (let i = 0; i < 40 && refusedKey === undefined; i++) {
    const key = `big-${i}`;
    pads.set(key, padding());
    const answer = await putTask(actor, key, pads.get(key) ?? '');
    if (answer.status === 201) {
      accepted.push(key);
      continue;
    }
    expectProblem(answer, 507, 'storage-full');
    refusedKey = key;
  }
  expect(refusedKey, 'the quota was never hit').toBeDefined();
  expect(accepted.length, 'something big was accepted before the disk was full').toBeGreaterThan(3);
  const refused = refusedKey ?? '';
  const refusedPad = pads.get(refused) ?? '';

  // The refused message left no receipt: its key is free, and a retry while still full is refused again.
  const receipt = await call(page, { path: `/actors/${actor}/tasks/${refused}` });
  expectProblem(receipt, 404, 'receipt-not-found');
  expectProblem(await putTask(actor, refused, refusedPad), 507, 'storage-full');

  // Everything accepted before is still there, each once, with its receipt.
  const expectAllKept = async () => {
    const state = await call(page, { path: `/actors/${actor}/state` });
    expect(state.status).toBe(200);
    const keys = ((state.json as { tasks: { key: string }[] }).tasks ?? []).map((t) => t.key);
    expect(keys).toEqual(accepted);
    const receipts = receiptsOf(await dumpDatabase(page), actor);
    for (const key of accepted) {
      expect(receipts.get(key), key).toMatchObject({ status: 'done', answer: { status: 201 } });
    }
    return receipts;
  };
  expect((await expectAllKept()).has(refused)).toBe(false);
  // An accepted key replays its answer, even while the disk is full.
  const replay = await putTask(actor, 'small-0', '');
  expect(replay.status).toBe(201);
  expect(replay.headers['idempotent-replayed']).toBe('true');

  // Room again (a new worker opens the database and sees it): the refused key is accepted as a new message, once.
  await makeRoom();
  const retry = await putTask(actor, refused, refusedPad);
  expect(retry.status, retry.text).toBe(201);
  expect(retry.headers['idempotent-replayed']).toBeUndefined();
  accepted.push(refused);
  await expectAllKept();
});
