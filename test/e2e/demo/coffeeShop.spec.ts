import { type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import { expect, test } from '../support/fixtures.ts';
import { skipWithout } from '../support/engines.ts';
import { readHead } from '../support/remoteFiles.ts';
import { startDemoServer, type DemoServer } from './demoServer.ts';

// One demo server, one browser context (one worker, one IndexedDB) and one page for the file:
// tests compare counters before and after, so they may share the shop.
let server: DemoServer;
let context: BrowserContext;
let page: Page;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  server = await startDemoServer();
  context = await browser.newContext({
    serviceWorkers: 'allow',
    viewport: { width: 1280, height: 1000 },
  });
  page = await openShop(context);
});

test.afterAll(async () => {
  await context?.close();
  await server?.stop();
});

async function openShop(on: BrowserContext): Promise<Page> {
  const tab = await on.newPage();
  await tab.goto(server.url);
  await expect(tab.locator('#worker-status')).toHaveAttribute('data-state', 'ready');
  await expect(tab.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(tab.locator('#airplane')).toBeEnabled();
  return tab;
}

const count = async (tab: Page, id: string) =>
  Number((await tab.locator(`#${id}`).textContent()) ?? 'NaN');

async function choose(tab: Page, barista: string, drink: string, customer: string) {
  await tab.locator('#barista-choices label', { hasText: barista }).click();
  await tab.locator('#drink-choices label', { hasText: drink }).click();
  await tab.locator('#customer').fill(customer);
}

/** The receipt key on the newest answer, once it differs from `before` and `n` answers carry it. */
async function newestKey(tab: Page, before: string | null, n = 1): Promise<string> {
  const first = tab.locator('#answers li[data-key]').first();
  await expect(first).not.toHaveAttribute('data-key', before ?? '');
  const key = (await first.getAttribute('data-key')) ?? '';
  await expect(tab.locator(`#answers li[data-key="${key}"]`)).toHaveCount(n);
  return key;
}

/**
 * The key on the newest answer now, if any. Counted first rather than read with a short timeout:
 * a slow engine (Firefox on a busy CI machine) ran past 100 ms and got null, and the next order's
 * key was then taken from the answer already on top.
 */
async function lastKey(tab: Page): Promise<string | null> {
  const answers = tab.locator('#answers li[data-key]');
  if ((await answers.count()) === 0) return null;
  return answers.first().getAttribute('data-key');
}

const order = (tab: Page, barista: string, key: string) =>
  tab.locator(`article[data-barista="${barista}"] li[data-key="${key}"]`);

async function attachScreenshot(tab: Page, testInfo: TestInfo, name: string) {
  // A file in the test's output folder (kept by every reporter), attached for the HTML report.
  const path = testInfo.outputPath(`${name}.png`);
  await tab.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

test('an order goes pending → confirmed: one request, one order on the remote', async () => {
  const [requests, remote, previous] = [
    await count(page, 'count-requests'),
    await count(page, 'count-remote'),
    await lastKey(page),
  ];
  await choose(page, 'Ada', 'Flat white', 'Margaret');
  await page.getByRole('button', { name: 'Place order' }).click();
  const key = await newestKey(page, previous);

  await expect(order(page, 'ada', key)).toHaveAttribute('data-status', 'confirmed');
  await expect(order(page, 'ada', key)).toContainText('Flat white');
  await expect(order(page, 'ada', key)).toContainText('for Margaret');
  await expect(page.locator('#count-requests')).toHaveText(String(requests + 1));
  await expect(page.locator('#count-remote')).toHaveText(String(remote + 1), { timeout: 15_000 });
  await expect(page.locator('#count-pending')).toHaveText('0');
  await attachScreenshot(page, test.info(), 'after-one-order');
});

test('panic: one receipt sent five times makes one order and five equal answers', async () => {
  const [requests, remote, previous] = [
    await count(page, 'count-requests'),
    await count(page, 'count-remote'),
    await lastKey(page),
  ];
  await choose(page, 'Grace', 'Mocha', 'Pat');
  await page.getByRole('button', { name: /Panic/ }).click();
  const key = await newestKey(page, previous, 5);

  await expect(page.locator(`#answers li[data-key="${key}"]`)).toHaveCount(5);
  // Four of the five are replays of the first's stored answer.
  await expect(page.locator(`#answers li[data-key="${key}"][data-status="replayed"]`)).toHaveCount(
    4,
  );
  await expect(order(page, 'grace', key)).toHaveCount(1);
  await expect(order(page, 'grace', key)).toHaveAttribute('data-status', 'confirmed');
  await expect(page.locator('#count-requests')).toHaveText(String(requests + 5));
  await expect(page.locator('#count-remote')).toHaveText(String(remote + 1), { timeout: 15_000 });

  const head = await remoteHead('grace');
  expect(head.tasks.filter((task) => task.key === key)).toHaveLength(1);
});

test('two tabs stay in step: an order placed in one shows up confirmed in the other', async () => {
  const second = await openShop(context);
  try {
    const requests = await count(second, 'count-requests');
    const remote = await count(page, 'count-remote');
    const previous = await lastKey(page);
    await choose(page, 'Alan', 'Cortado', 'Lin');
    await page.getByRole('button', { name: 'Place order' }).click();
    const key = await newestKey(page, previous);

    await expect(order(second, 'alan', key)).toHaveAttribute('data-status', 'confirmed');
    await expect(order(second, 'alan', key)).toContainText('Cortado');
    await expect(second.locator('#count-requests')).toHaveText(String(requests + 1));
    for (const tab of [page, second]) {
      await expect(tab.locator('#count-remote')).toHaveText(String(remote + 1), {
        timeout: 15_000,
      });
    }
  } finally {
    await second.close();
  }
});

test('airplane mode: orders wait on the device, then reach the remote exactly once', async () => {
  const second = await openShop(context);
  try {
    const remote = await count(page, 'count-remote');
    const previous = await lastKey(page);
    await page.locator('label.switch').click();
    await expect(page.locator('#airplane')).toBeChecked();
    await expect(second.locator('#airplane')).toBeChecked();
    await expect(page.locator('#airplane-banner')).toBeVisible();
    // The gate really drops connections: the worker's route to the remote is cut.
    await expect(fetch(server.gateUrl, { method: 'OPTIONS' })).rejects.toThrow();

    await choose(page, 'Ada', 'Chai latte', 'Noor');
    await page.getByRole('button', { name: 'Place order' }).click();
    const key = await newestKey(page, previous);
    await expect(page.locator(`#answers li[data-key="${key}"]`)).toHaveAttribute(
      'data-status',
      'pending',
    );
    await expect(page.locator(`#answers li[data-key="${key}"] .code`)).toHaveText('202');
    for (const tab of [page, second]) {
      await expect(order(tab, 'ada', key)).toHaveAttribute('data-status', 'pending');
      await expect(tab.locator('#count-pending')).toHaveText('1');
      await expect(tab.locator('article[data-barista="ada"] .sync')).toHaveAttribute(
        'data-phase',
        'failed',
      );
    }
    expect((await remoteHead('ada')).tasks.some((task) => task.key === key)).toBe(false);
    expect(await count(page, 'count-remote')).toBe(remote);
    await attachScreenshot(page, test.info(), 'airplane-mode-pending');

    await second.locator('label.switch').click();
    await expect(page.locator('#airplane')).not.toBeChecked();
    for (const tab of [page, second]) {
      await expect(order(tab, 'ada', key)).toHaveAttribute('data-status', 'confirmed', {
        timeout: 20_000,
      });
      await expect(tab.locator('#count-pending')).toHaveText('0');
    }
    // The answer that came back 202 follows its receipt to confirmed, as the outbox did.
    await expect(page.locator(`#answers li[data-key="${key}"]`)).toHaveAttribute(
      'data-status',
      'confirmed',
    );
    await expect(page.locator('#count-remote')).toHaveText(String(remote + 1), { timeout: 15_000 });
    expect((await remoteHead('ada')).tasks.filter((task) => task.key === key)).toHaveLength(1);
    await attachScreenshot(page, test.info(), 'airplane-mode-confirmed');
  } finally {
    await second.close();
  }
});

test('the remote browser lists the files the worker wrote, as text', async () => {
  const previous = await lastKey(page);
  const customer = `<b>Remy ${Date.now()}</b>`; // shown as text, never as HTML
  await choose(page, 'Ada', 'Espresso', customer);
  await page.getByRole('button', { name: 'Place order' }).click();
  const key = await newestKey(page, previous);
  await expect(order(page, 'ada', key)).toHaveAttribute('data-status', 'confirmed');
  await expect(order(page, 'ada', key).locator('.for')).toHaveText(`for ${customer}`);

  const list = page.locator('#remote-list');
  await page.locator('#remote-path button', { hasText: 'remote' }).click();
  await list.locator('li[data-path="ada/"] button').click();
  await list.locator('li[data-path="ada/v/"] button').click();
  const versions = list.locator('li[data-path^="ada/v/0"][data-path$="/"] button');
  await expect(versions.first()).toBeVisible();
  await versions.last().click();
  await list.locator('li[data-path$="/state.json"] button').click();
  await expect(page.locator('#remote-file')).toContainText('"format": 2');
  await expect(page.locator('#remote-file')).toContainText(key);
  await expect(page.locator('#remote-file b')).toHaveCount(0);
});

test('the shell opens and takes orders with no network at all', async ({ browserName }) => {
  skipWithout(browserName, 'offlineEmulation');
  await context.setOffline(true);
  try {
    await page.reload();
    await expect(page.locator('h1')).toHaveText('actordav coffee shop');
    await expect(page.locator('#worker-status')).toHaveAttribute('data-state', 'ready');
    await expect(page.locator('article[data-barista]')).toHaveCount(3);
    // Orders are still taken: committed on the device, pending until the network is back.
    const previous = await lastKey(page);
    await choose(page, 'Grace', 'Cold brew', 'Ines');
    await page.getByRole('button', { name: 'Place order' }).click();
    const key = await newestKey(page, previous);
    await expect(order(page, 'grace', key)).toHaveAttribute('data-status', 'pending');
  } finally {
    await context.setOffline(false);
  }
});

/** The newest version of a barista on the remote, read straight from the WebDAV server. */
async function remoteHead(barista: string): Promise<{ tasks: { key: string }[] }> {
  const head = await readHead({ url: server.davUrl }, barista);
  return { tasks: (head?.state['tasks'] ?? []) as { key: string }[] };
}
