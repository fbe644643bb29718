import type { Page } from '@playwright/test';
import { currentEngine, engineLimit, type EngineName } from './engines.ts';

/**
 * Shift+Reload: the page loads again past the HTTP cache and the service worker, so the worker,
 * though active, does not control it. Chromium only: CDP `Page.reload` with `ignoreCache`
 * (engines.ts names why the others cannot).
 */
export async function hardReload(page: Page, engine: EngineName = currentEngine()): Promise<void> {
  if (engine !== 'chromium') throw new Error(engineLimit(engine, 'hardReload'));
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Page.reload', { ignoreCache: true });
  } finally {
    await cdp.detach();
  }
}
