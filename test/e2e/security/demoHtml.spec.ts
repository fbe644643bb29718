import type { Server } from 'node:http';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '../support/fixtures.ts';
import { serveApp } from '../../../demo/server.ts';
import { freePort } from '../../servers/freePort.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';
import { buildDemo } from './buildDemo.ts';

// The demo shows what users type, what the worker answers and what the remote holds (file
// names and contents). All of it must be set as text: markup in any of it stays inert.

const payloads = {
  customer: '<img src=x onerror=window.__pwned=1>',
  folder: '<img src=x onerror=window.__pwned=2>',
  file: '<svg onload=window.__pwned=3>.json',
  content: '<script>window.__pwned=4</script><img src=x onerror=window.__pwned=5>',
};

let dir: string;
let app: Server;
let url: string;
let remote: WebdavServer;

test.beforeAll(async () => {
  remote = await startWebdavServer('embedded');
  // A remote someone else can write to: hostile names and contents.
  await mkdir(join(remote.dataDir, payloads.folder));
  await writeFile(join(remote.dataDir, payloads.file), payloads.content);
  dir = await buildDemo();
  const port = await freePort();
  app = await serveApp(dir, '127.0.0.1', port, {
    config: { remote: remote.url, browse: remote.url },
  });
  url = `http://127.0.0.1:${port}/`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => app.close(() => resolve()));
  app.closeAllConnections();
  await rm(dir, { recursive: true, force: true });
  await remote.stop();
});

test('markup in a customer name, a remote file name or its content is shown as text, never run', async ({
  browser,
}) => {
  const context = await browser.newContext({ serviceWorkers: 'allow' });
  const page = await context.newPage();
  try {
    await page.goto(url);
    await expect(page.locator('body')).toHaveAttribute('data-ready', 'true', { timeout: 20_000 });
    await page.fill('#customer', payloads.customer);
    await page.click('#place');
    await expect(page.locator('#answers li')).toHaveCount(1, { timeout: 20_000 });
    await expect(page.locator('#answers')).toContainText(payloads.customer);
    await expect(page.locator('#outboxes')).toContainText(payloads.customer);

    // The remote browser lists the planted names, and shows the planted file's content.
    const list = page.locator('#remote-list');
    await expect(list).toContainText(payloads.folder);
    // The list refreshes itself live: a click that lands on an entry just being replaced is lost.
    await expect(async () => {
      await list.getByText(payloads.file).click();
      await expect(page.locator('#remote-file')).toContainText(payloads.content, {
        timeout: 2_000,
      });
    }).toPass({ timeout: 20_000 });

    // Nothing became an element, nothing ran.
    const injected = page.locator(
      '#answers img, #answers svg, #outboxes img, #outboxes svg, #remote-list img, #remote-list svg, #remote-file *, main script',
    );
    expect(await injected.count()).toBe(0);
    expect(
      await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned),
    ).toBeUndefined();
  } finally {
    await context.close();
  }
});
