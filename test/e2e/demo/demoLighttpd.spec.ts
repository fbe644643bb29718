import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BrowserContext, type Page } from '@playwright/test';
import { expect, test } from '../support/fixtures.ts';
import { startLighttpd } from '../../servers/startLighttpd.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';
import { startDemoServer, type DemoServer } from './demoServer.ts';

// `ACTORDAV_REMOTE=<lighttpd> npm run demo`: the worker syncs through the airplane gate, whose
// MOVEs must name lighttpd in their Destination (lighttpd answers 502 to one naming the gate).
let lighttpd: WebdavServer;
let server: DemoServer;
let context: BrowserContext;
let page: Page;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }) => {
  lighttpd = await startLighttpd();
  server = await startDemoServer({ remote: lighttpd.url });
  context = await browser.newContext({ serviceWorkers: 'allow' });
  page = await context.newPage();
  await page.goto(server.url);
  await expect(page.locator('body')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('#airplane')).toBeEnabled();
});

test.afterAll(async () => {
  await context?.close();
  await server?.stop();
  await lighttpd?.stop();
});

async function placeOrder(barista: string, drink: string, customer: string): Promise<string> {
  const before = await page
    .locator('#answers li[data-key]')
    .first()
    .getAttribute('data-key', { timeout: 100 })
    .catch(() => null);
  await page.locator('#barista-choices label', { hasText: barista }).click();
  await page.locator('#drink-choices label', { hasText: drink }).click();
  await page.locator('#customer').fill(customer);
  await page.getByRole('button', { name: 'Place order' }).click();
  const newest = page.locator('#answers li[data-key]').first();
  await expect(newest).not.toHaveAttribute('data-key', before ?? '');
  return (await newest.getAttribute('data-key')) ?? '';
}

const outboxOrder = (barista: string, key: string) =>
  page.locator(`article[data-barista="${barista}"] li[data-key="${key}"]`);
const answer = (key: string) => page.locator(`#answers li[data-key="${key}"]`);

/** Every file under `dir`, as text (lighttpd's data folder: segments, claims, states). */
async function filesUnder(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8')),
  );
  return texts.join('\n');
}

test('an order reaches lighttpd through the gate and is confirmed in the outbox and the answers', async () => {
  const key = await placeOrder('Ada', 'Flat white', 'Margaret');
  await expect(outboxOrder('ada', key)).toHaveAttribute('data-status', 'confirmed', {
    timeout: 20_000,
  });
  await expect(answer(key)).toHaveAttribute('data-status', 'confirmed');
  await expect(page.locator('#count-pending')).toHaveText('0');
  await expect(page.locator('#count-remote')).toHaveText('1', { timeout: 15_000 });
  // A claimed version folder (a MOVE that landed) holds the order.
  const versions = await readdir(join(lighttpd.dataDir, 'ada', 'v'));
  expect(versions.length).toBeGreaterThan(0);
  expect(await filesUnder(join(lighttpd.dataDir, 'ada', 'v'))).toContain(key);
});

test('airplane mode: a pending answer turns confirmed once the gate opens', async () => {
  await page.locator('label.switch').click();
  await expect(page.locator('#airplane')).toBeChecked();
  const key = await placeOrder('Grace', 'Mocha', 'Pat');
  await expect(answer(key)).toHaveAttribute('data-status', 'pending');
  await expect(answer(key).locator('.code')).toHaveText('202');
  await expect(outboxOrder('grace', key)).toHaveAttribute('data-status', 'pending');

  await page.locator('label.switch').click();
  await expect(page.locator('#airplane')).not.toBeChecked();
  await expect(outboxOrder('grace', key)).toHaveAttribute('data-status', 'confirmed', {
    timeout: 20_000,
  });
  await expect(answer(key)).toHaveAttribute('data-status', 'confirmed');
  await expect(answer(key).locator('.badge')).toHaveText('confirmed');
  await expect(page.locator('#count-remote')).toHaveText('2', { timeout: 15_000 });
});
