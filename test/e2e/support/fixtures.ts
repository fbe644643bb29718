import { test as base, type Browser } from '@playwright/test';
import { launchEngine } from './launchEngine.ts';

export { expect } from '@playwright/test';

/**
 * Playwright's `test` with engine-neutral `browser`, `context` and `page`:
 * Chromium and Firefox (WebDriver BiDi) are launched by Playwright,
 * WebKitGTK through WebDriver (test/e2e/engines/webkit/), which Playwright
 * cannot launch itself. Every spec imports `test` from here.
 */
export const test = base.extend<object, { browser: Browser }>({
  browser: [
    async ({ browserName }, use) => {
      const browser = await launchEngine(browserName);
      await use(browser);
      await browser.close();
    },
    { scope: 'worker' },
  ],
  context: async ({ browser, baseURL }, use) => {
    const context = await browser.newContext({
      serviceWorkers: 'allow',
      ...(baseURL === undefined ? {} : { baseURL }),
    });
    await use(context);
    await context.close();
  },
  page: async ({ context }, use) => {
    await use(await context.newPage());
  },
});
