import type { Server } from 'node:http';
import { serveApp } from '../../../demo/server.ts';
import { freePort } from '../../servers/freePort.ts';
import { expect, test } from '../support/fixtures.ts';
import { buildQuickStart } from './buildQuickStart.ts';
import { skipWithout } from '../support/engines.ts';
import { hardReload } from '../support/hardReload.ts';

// The README's quick start, worker and page copied verbatim into a fresh app: the first load must
// end (the worker claims the page), and so must a hard reload (registerActors rejects).
let server: Server | undefined;
let url = '';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  const dist = await buildQuickStart();
  const port = await freePort();
  server = await serveApp(dist, '127.0.0.1', port);
  url = `http://127.0.0.1:${port}/`;
});

test.afterAll(async () => {
  await new Promise((done) => server?.close(done));
});

test('the README quick start runs on a first load, without hanging', async ({ page }) => {
  await page.goto(url);
  // Its remote (dav.example.org) is not reachable here: the deposit is safe on this device, 202.
  await expect(page.locator('#out')).not.toHaveText('', { timeout: 20_000 });
  const { status, answer } = JSON.parse((await page.locator('#out').textContent()) ?? '{}') as {
    status: string;
    answer: { status: number; body: { result: unknown } };
  };
  expect(['done', 'pending']).toContain(status);
  expect(answer.body.result).toEqual({ balance: 5 });
  await expect(page.locator('#error')).toHaveText('');
});

test('after a hard reload the quick start rejects with NotControlledError hard-reload', async ({
  page,
  browserName,
}) => {
  skipWithout(browserName, 'hardReload');
  await page.goto(url);
  await expect(page.locator('#out')).not.toHaveText('', { timeout: 20_000 });
  await hardReload(page, browserName);
  await expect(page.locator('#error')).toContainText('NotControlledError hard-reload', {
    timeout: 10_000,
  });
  expect(await page.evaluate(() => navigator.serviceWorker.controller)).toBeNull();
});
