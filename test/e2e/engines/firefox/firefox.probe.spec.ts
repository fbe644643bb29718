import { expect, test } from '@playwright/test';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firefoxLaunchOptions } from './launchOptions.ts';
import { countingRemote, openApp, persist, send } from './probeHelpers.ts';
import { firefoxWorkers, stopFirefoxWorkers } from './stopFirefoxWorkers.ts';

// The adapter's smoke test, and the record of what Playwright's BiDi Firefox (ESR 153) can and
// cannot do for this suite. Each expectation below is an observed fact; if one fails after an
// upgrade, the fact changed.

const launch = { ...firefoxLaunchOptions, channel: 'moz-firefox' };

test('the worker answers, is stopped, and a fresh one answers the next request', async ({
  page,
}) => {
  await openApp(page);
  expect(await send(page, '/actors/a/state')).toMatchObject({ status: 200, json: {} });
  const put = await send(page, '/actors/a/tasks', { method: 'PUT', key: 'k1', body: { n: 1 } });
  expect(put.status, put.text).toBe(201);
  const add = { method: 'POST', key: 'add-1', body: { type: 'add', amount: 1 } };
  expect((await send(page, '/actors/a/execute', add)).status).toBe(200);
  expect((await send(page, '/__runs')).json).toEqual({ 'a/add': 1 });
  const [before] = await firefoxWorkers(page);
  expect(before).toMatchObject({ scriptUrl: expect.stringContaining('/sw.js'), running: true });

  await stopFirefoxWorkers(page);
  expect((await firefoxWorkers(page))[0]).toMatchObject({ running: false });
  const state = await send(page, '/actors/a/state');
  expect(state.status).toBe(200);
  expect((state.json as { tasks: unknown[] }).tasks).toHaveLength(1);
  // The fresh worker's counters start empty, and Firefox counts one more launch.
  expect((await send(page, '/__runs')).json).toEqual({});
  const [after] = await firefoxWorkers(page);
  expect(after).toMatchObject({ running: true, launchCount: before!.launchCount! + 1 });
});

test('stopFirefoxWorkers stops only the workers of the page’s own Firefox', async ({
  page,
  playwright,
  baseURL,
}) => {
  const other = await playwright.firefox.launch(launch);
  try {
    const elsewhere = await other.newPage({ ...(baseURL === undefined ? {} : { baseURL }) });
    await openApp(elsewhere);
    await openApp(page);
    await stopFirefoxWorkers(elsewhere);
    expect(await firefoxWorkers(elsewhere)).toMatchObject([{ running: false }]);
    expect(await firefoxWorkers(page)).toMatchObject([{ running: true }]);
  } finally {
    await other.close();
  }
});

test('setOffline cuts the page off the network but not the worker', async ({ context, page }) => {
  const remote = await countingRemote();
  try {
    await openApp(page, `/sync/?remote=${encodeURIComponent(remote.url)}`);
    await context.setOffline(true);
    expect((await send(page, '/index.html?offline')).status).toBe(-1);
    expect((await send(page, '/sync/actors/off/state')).status).toBe(200);
    remote.hits.length = 0;
    const put = { method: 'PUT', key: 'off-1', body: { n: 1 } };
    expect((await send(page, '/sync/actors/off/tasks', put)).status).toBe(202);
    // The worker's own sync requests still reach the remote while the context is "offline".
    await expect.poll(() => remote.hits.filter((hit) => hit.includes('/dav/off/'))).not.toEqual([]);
    await context.setOffline(false);
  } finally {
    await remote.close();
  }
});

test('route sees page requests (even those the worker answers) but not the worker’s own', async ({
  context,
  page,
}) => {
  const remote = await countingRemote();
  const routed: string[] = [];
  await context.route('**/*', (route) => {
    routed.push(new URL(route.request().url()).pathname);
    return route.continue();
  });
  try {
    await openApp(page, `/sync/?remote=${encodeURIComponent(remote.url)}`);
    const put = { method: 'PUT', key: 'r-1', body: { n: 1 } };
    expect((await send(page, '/sync/actors/r/tasks', put)).status).toBe(202);
    await expect.poll(() => remote.hits.filter((hit) => hit.includes('/dav/r/'))).not.toEqual([]);
    expect(routed).toContain('/sync/actors/r/tasks');
    expect(routed.filter((path) => path.startsWith('/dav/'))).toEqual([]);

    // Fulfilling a request the worker answers changes nothing: the worker's answer wins.
    await page.route('**/sync/actors/ff/state', (route) => route.fulfill({ status: 418 }));
    expect((await send(page, '/sync/actors/ff/state')).status).toBe(200);
  } finally {
    await remote.close();
  }
});

test('persistent-storage: a prompt unless granted per context or by pref', async ({
  browser,
  playwright,
  baseURL,
}) => {
  const results: Record<string, string> = {};
  for (const how of ['none', 'newContext', 'grantPermissions'] as const) {
    const context = await browser.newContext(
      how === 'newContext' ? { permissions: ['persistent-storage'] } : {},
    );
    if (how === 'grantPermissions') await context.grantPermissions(['persistent-storage']);
    const page = await context.newPage();
    await openApp(page);
    results[how] = await persist(page);
    await context.close();
  }
  const withPref = await playwright.firefox.launch({
    ...launch,
    firefoxUserPrefs: { 'permissions.default.persistent-storage': 1 },
  });
  const page = await withPref.newPage({ ...(baseURL === undefined ? {} : { baseURL }) });
  await openApp(page);
  results['pref'] = await persist(page);
  await withPref.close();
  // Ungranted, Firefox prompts and the promise waits (once in several runs it was denied at once).
  expect(results).toEqual({
    none: expect.stringMatching(/^(pending|false)$/) as unknown,
    newContext: 'true',
    grantPermissions: 'true',
    pref: 'true',
  });
});

test('a persistent profile keeps IndexedDB and the worker across a relaunch', async ({
  playwright,
  baseURL,
}) => {
  const dir = await mkdtemp(join(tmpdir(), 'actordav-firefox-profile-'));
  const options = { ...launch, ...(baseURL === undefined ? {} : { baseURL }) };
  try {
    const first = await playwright.firefox.launchPersistentContext(dir, options);
    const page = first.pages()[0] ?? (await first.newPage());
    await openApp(page);
    const put = { method: 'PUT', key: 'p1', body: { n: 1 } };
    expect((await send(page, '/actors/p/tasks', put)).status).toBe(201);
    await first.close();

    const second = await playwright.firefox.launchPersistentContext(dir, options);
    const again = second.pages()[0] ?? (await second.newPage());
    // Registered before any page of the origin loads, not yet started.
    expect(await firefoxWorkers(again)).toMatchObject([{ launchCount: 0, running: false }]);
    await again.goto('/');
    expect(await again.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    const state = await send(again, '/actors/p/state');
    expect((state.json as { tasks: { key: string }[] }).tasks).toMatchObject([{ key: 'p1' }]);
    await second.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('how long launch, newContext and the first page take', async ({ playwright, baseURL }) => {
  const start = Date.now();
  const browser = await playwright.firefox.launch(launch);
  const launched = Date.now();
  const context = await browser.newContext({ ...(baseURL === undefined ? {} : { baseURL }) });
  const created = Date.now();
  await openApp(await context.newPage());
  const ready = Date.now();
  await browser.close();
  console.log(
    `firefox-bidi: launch ${launched - start} ms, newContext ${created - launched} ms, ` +
      `first page ready ${ready - created} ms`,
  );
});
