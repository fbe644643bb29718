import { test as base, type Browser, type BrowserContext } from '@playwright/test';
import { launchWebKit } from './launchWebKit.ts';

/**
 * Playwright's `test` on WebKitGTK: the worker's `browser` is the adapter,
 * and `context` is a context of it with the test's `baseURL` (Playwright's
 * own `context` fixture passes its options through client instrumentation
 * the adapter does not have). The built-in `page` fixture then works as is.
 */
export const test = base.extend<{ context: BrowserContext }, { browser: Browser }>({
  browser: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from this pattern.
    async ({}, use, workerInfo) => {
      const baseURL = workerInfo.project.use.baseURL;
      const browser = await launchWebKit(baseURL === undefined ? {} : { baseURL });
      await use(browser);
      await browser.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
  context: async ({ browser, baseURL }, use) => {
    const context = await browser.newContext(baseURL === undefined ? {} : { baseURL });
    await use(context);
    await context.close();
  },
});

export { expect } from '@playwright/test';
