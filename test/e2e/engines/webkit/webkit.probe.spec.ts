import { expect, type Page } from '@playwright/test';
import { call, callAll, freshActor, openApp, runsOf } from '../../support/app.ts';
import { test } from './webkitTest.ts';

// Proves the WebKitGTK adapter against the real e2e app and its service
// worker, through the project's own helpers (support/app.ts). Build first:
// `npm run build:e2e && npx playwright test -c test/e2e/engines/webkit/playwright.probe.config.ts`.

const task = (actor: string) => ({
  method: 'PUT',
  path: `/actors/${actor}/tasks`,
  key: 'k1',
  body: { drink: 'latte' },
});

test('the browser is WebKitGTK and says so', ({ browser }) => {
  expect(browser.browserType().name()).toBe('webkit');
  expect(browser.version()).toMatch(/^2\.\d+/);
  expect(() => browser.startTracing()).toThrow(
    'browser.startTracing is not available in WebKitGTK through WebDriver',
  );
});

test('the page sees the worker and these platform features', async ({ page }, testInfo) => {
  await openApp(page);
  const features = await page.evaluate(() => ({
    storage: typeof navigator.storage,
    persist: typeof navigator.storage?.persist,
    locks: typeof navigator.locks,
    broadcastChannel: typeof BroadcastChannel,
    syncManager: typeof (globalThis as { SyncManager?: unknown }).SyncManager,
    controlled: navigator.serviceWorker.controller !== null,
    userAgent: navigator.userAgent,
  }));
  testInfo.annotations.push({ type: 'features', description: JSON.stringify(features) });
  console.log('WebKitGTK features', features);
  expect(features.controlled).toBe(true);
  expect(features.locks).toBe('object');
  expect(features.broadcastChannel).toBe('function');
});

test('GET state of a new actor is 200 {}', async ({ page }) => {
  await openApp(page);
  const answer = await call(page, { path: '/actors/a/state' });
  expect(answer.status).toBe(200);
  expect(answer.json).toEqual({});
});

test('a keyed PUT is accepted once, then replayed', async ({ page }) => {
  await openApp(page);
  const actor = freshActor('probe');
  const first = await call(page, task(actor));
  expect(first.status, first.text).toBe(201);
  const again = await call(page, task(actor));
  expect(again.status).toBe(201);
  expect(again.text).toBe(first.text);
  expect(again.headers['idempotent-replayed']).toBe('true');
});

test('callAll sends five requests at once', async ({ page }) => {
  await openApp(page);
  const actor = freshActor('many');
  const answers = await callAll(
    page,
    [1, 2, 3, 4, 5].map((n) => ({ ...task(actor), key: `k${n}`, body: { n } })),
  );
  expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201]);
  const state = await call(page, { path: `/actors/${actor}/state` });
  expect((state.json as { tasks: unknown[] }).tasks).toHaveLength(5);
});

test('two pages of one context share the worker and IndexedDB', async ({ context }) => {
  const [one, two] = [await context.newPage(), await context.newPage()];
  expect(context.pages()).toHaveLength(2);
  expect(one.context()).toBe(context);
  await Promise.all([openApp(one), openApp(two)]);
  const actor = freshActor('shared');
  expect((await call(one, task(actor))).status).toBe(201);
  const add = {
    method: 'POST',
    path: `/actors/${actor}/execute`,
    key: 'a1',
    body: { type: 'add', amount: 2 },
  };
  expect((await call(one, add)).status).toBe(200);
  // The second page reads what the first wrote (IndexedDB), and the worker's in-memory run counter
  // shows the command ran once, in the very worker that answers it.
  const state = await call(two, { path: `/actors/${actor}/state` });
  expect((state.json as { tasks: unknown[] }).tasks).toHaveLength(1);
  expect((await runsOf(two))[`${actor}/add`]).toBe(1);
  const replay = await call(two, task(actor));
  expect(replay.headers['idempotent-replayed']).toBe('true');
  // Both pages' commands interleave on one session without mixing windows up.
  const urls = await Promise.all(
    [one, two, one, two].map((page) => page.evaluate(() => location.href)),
  );
  expect(new Set(urls)).toEqual(new Set([one.url()]));
  await two.close();
  expect(context.pages()).toEqual([one]);
});

test('two contexts do not share IndexedDB', async ({ browser, baseURL }) => {
  const actor = freshActor('isolated');
  const opened: Page[] = [];
  const contexts = [
    await browser.newContext({ baseURL: baseURL! }),
    await browser.newContext({ baseURL: baseURL! }),
  ];
  try {
    for (const context of contexts) {
      const page = await context.newPage();
      await openApp(page);
      opened.push(page);
    }
    const [first, second] = opened as [Page, Page];
    expect((await call(first, task(actor))).status).toBe(201);
    const elsewhere = await call(second, { path: `/actors/${actor}/state` });
    expect(elsewhere.json).toEqual({});
    expect(
      await second.evaluate(() => indexedDB.databases().then((all) => all.length)),
    ).toBeGreaterThan(0);
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
});

test('evaluate follows Playwright: strings, args, promises, errors', async ({ page }) => {
  await openApp(page);
  expect(await page.evaluate('1 + 2')).toBe(3);
  expect(await page.evaluate('Promise.resolve(document.title)')).toBe('actordav end-to-end app');
  expect(
    await page.evaluate(async ({ a, b }) => a + (await Promise.resolve(b)), { a: 2, b: 5 }),
  ).toBe(7);
  expect(await page.evaluate(() => undefined)).toBeUndefined();
  await expect(page.evaluate(() => Promise.reject(new Error('nope in page')))).rejects.toThrow(
    'nope in page',
  );
  await expect(
    page.evaluate(() => {
      throw new TypeError('thrown at once');
    }),
  ).rejects.toThrow('thrown at once');
  await page.reload();
  await expect(page.locator('#ready')).toHaveText('ready');
  expect(page.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
});

test('locators read, wait and fail clearly', async ({ page }) => {
  await openApp(page);
  await page.evaluate(() => {
    document.body.insertAdjacentHTML(
      'beforeend',
      '<input id="name"><button id="go" data-x="1" onclick="this.textContent = document.getElementById(\'name\').value">go</button><p class="n">a</p><p class="n">b</p><p id="gone" hidden>x</p>',
    );
  });
  await page.locator('#name').fill('flat white');
  await page.locator('#go').click();
  await expect(page.locator('#go')).toHaveText('flat white');
  expect(await page.locator('#go').textContent()).toBe('flat white');
  expect(await page.locator('#go').innerText()).toBe('flat white');
  expect(await page.locator('#go').getAttribute('data-x')).toBe('1');
  await expect(page.locator('#go')).toHaveAttribute('data-x', '1');
  expect(await page.locator('.n').count()).toBe(2);
  await expect(page.locator('.n')).toHaveCount(2);
  expect(await page.locator('.n').nth(1).textContent()).toBe('b');
  expect(await page.locator('.n').first().textContent()).toBe('a');
  expect(await page.locator('#go').isVisible()).toBe(true);
  expect(await page.locator('#gone').isVisible()).toBe(false);
  await expect(page.locator('#gone')).toBeHidden();
  await expect(page.locator('.n').textContent()).rejects.toThrow('strict mode violation');
  await expect(page.locator('#ready')).not.toHaveText('starting');
  expect(() => page.locator('#go').dblclick()).toThrow(
    'locator.dblclick is not available in WebKitGTK through WebDriver',
  );
  expect(() => page.getByLabel('name')).toThrow(
    'page.getByLabel is not available in WebKitGTK through WebDriver',
  );
  expect(() => page.context().setOffline(true)).toThrow(
    'context.setOffline is not available in WebKitGTK through WebDriver',
  );
  const failed = await expect(page.locator('#go'))
    .toHaveText('espresso', { timeout: 300 })
    .then(
      () => undefined,
      (error: Error) => error.message,
    );
  expect(failed).toContain('espresso');
});

test('evaluations run at once: one waits in the page while others go on, in two pages', async ({
  context,
}) => {
  const [one, two] = [await context.newPage(), await context.newPage()];
  await Promise.all([openApp(one), openApp(two)]);
  type Gate = { __gate?: Promise<number>; __open?: (n: number) => void };
  for (const page of [one, two]) {
    await page.evaluate(() => {
      const gate = window as unknown as Gate;
      gate.__gate = new Promise((resolve) => (gate.__open = resolve));
    });
  }
  const waiting = [one, two].map((page) => page.evaluate(() => (window as unknown as Gate).__gate));
  // Each page's wait is released by a later evaluate of the same page.
  await two.evaluate((n) => (window as unknown as Gate).__open?.(n), 2);
  await one.evaluate((n) => (window as unknown as Gate).__open?.(n), 1);
  expect(await Promise.all(waiting)).toEqual([1, 2]);
  // JSON semantics, for a plain value and a promise's: undefined properties drop, values go through JSON.
  expect(await one.evaluate(() => ({ at: new Date(0), nothing: undefined }))).toEqual({
    at: '1970-01-01T00:00:00.000Z',
  });
  expect(await one.evaluate(() => Promise.resolve({ at: new Date(0) }))).toEqual({
    at: '1970-01-01T00:00:00.000Z',
  });
  await expect(one.evaluate(() => Promise.resolve({ f: BigInt(1) }))).rejects.toThrow(
    'not JSON-serializable',
  );
  // A navigation loses what was running in the old document.
  const lost = one.evaluate(() => new Promise(() => undefined));
  await one.reload();
  await expect(lost).rejects.toThrow('Execution context was destroyed');
  await two.close();
});

test('locators by text and role, chained and filtered; matchers; screenshots', async ({
  page,
}, testInfo) => {
  await openApp(page);
  await page.evaluate(() => {
    document.body.insertAdjacentHTML(
      'beforeend',
      `<ul id="menu">
        <li data-n="1"><label><input type="radio" name="d" value="a"> Flat  white</label></li>
        <li data-n="2"><label><input type="radio" name="d" value="b"> Mocha</label></li>
        <li data-n="3"><span class="name">&lt;b&gt;Tea</span> <span class="meta">2 B</span></li>
      </ul>
      <button id="place" onclick="this.dataset.clicked = 'yes'">Place order</button>
      <input type="submit" value="Panic: send 5×">
      <div role="button" aria-label="Close it" hidden>x</div>
      <button id="off" disabled>Off</button>
      <label class="switch"><input id="sw" type="checkbox" role="switch"> Airplane</label>`,
    );
  });
  const items = page.locator('#menu li');
  await expect(items).toHaveCount(3);
  await expect(page.locator('#menu li', { hasText: 'flat WHITE' })).toHaveAttribute('data-n', '1');
  await expect(items.filter({ hasText: /Moc/ })).toHaveAttribute('data-n', '2');
  await expect(items.filter({ hasNotText: 'e' })).toHaveCount(1);
  await expect(items.last()).toContainText('<b>Tea');
  await expect(items.nth(1).locator('input')).toHaveAttribute('value', 'b');
  await expect(items.first()).not.toHaveAttribute('data-n', '2');
  await expect(items).toHaveText(['Flat white', 'Mocha', /Tea/]);
  await expect(items).toContainText(['Mocha']);
  expect(await items.allTextContents()).toHaveLength(3);
  await page.locator('#menu label', { hasText: 'Mocha' }).click();
  await expect(items.nth(1).locator('input')).toBeChecked();
  await expect(items.first().locator('input')).not.toBeChecked();
  await page.getByRole('button', { name: 'place ORDER' }).click();
  await expect(page.locator('#place')).toHaveAttribute('data-clicked', 'yes');
  await expect(page.getByRole('button', { name: /Panic/ })).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Place', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Close it' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Close it', includeHidden: true })).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Off' })).not.toBeEnabled();
  await expect(page.getByRole('button', { name: 'Place order' })).toBeEnabled();
  await expect(page.locator('#menu').getByText('<b>tea')).toHaveCount(1);
  await expect(page.locator('#menu').getByText('<b>tea')).toHaveText('<b>Tea');
  await page.locator('label.switch').click();
  await expect(page.getByRole('switch')).toBeChecked();
  await expect(page.getByText('Airplane')).toBeVisible();
  expect(
    await page
      .locator('#nothing')
      .getAttribute('x', { timeout: 100 })
      .catch(() => 'none'),
  ).toBe('none');
  await page.locator('#place').waitFor();
  await page.locator('#nothing').waitFor({ state: 'detached' });
  await expect(items.textContent()).rejects.toThrow(
    "strict mode violation: locator('#menu li') resolved to 3 elements",
  );
  const path = testInfo.outputPath('page.png');
  const png = await page.screenshot({ path, fullPage: true });
  expect(png.subarray(1, 4).toString()).toBe('PNG');
});
