import { expect, test } from '@playwright/test';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';
import { call, freshActor } from '../support/app.ts';

let server: WebdavServer;
test.beforeAll(async () => {
  server = await startWebdavServer('embedded');
});
test.afterAll(async () => server.stop());

test('a task reaches the remote once and is confirmed', async ({ page }) => {
  await page.goto(`/sync-smoke/?variant=sync&remote=${encodeURIComponent(server.url)}`);
  await expect(page.locator('#ready')).toHaveText('ready');
  const actor = freshActor('sync');
  const first = await call(page, {
    method: 'PUT',
    path: `/sync-smoke/actors/${actor}/tasks`,
    key: 'k1',
    body: { drink: 'mocha' },
  });
  console.log(first.status, first.text);
  const status = await call(page, { path: `/sync-smoke/actors/${actor}/status` });
  console.log(status.text);
  const listing = await fetch(`${server.url}${actor}/v/000000000001/state.json`);
  console.log(listing.status, await listing.text());
});
