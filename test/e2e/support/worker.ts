import type { Page } from '@playwright/test';
import { currentEngine, engineLimit, type EngineName } from './engines.ts';

/** Stops every service worker of the page's browser the way the browser would, mid-request or not. */
export async function stopWorkers(page: Page): Promise<void> {
  const stopper = await workerStopper(page);
  try {
    await stopper.stop();
  } finally {
    await stopper.detach();
  }
}

/** A way to stop the workers kept open, for stopping them several times in quick succession. */
export interface WorkerStopper {
  stop(): Promise<void>;
  detach(): Promise<void>;
}

/**
 * Chromium: CDP `ServiceWorker.stopAllWorkers`. Firefox: `terminateWorker()`
 * through privileged BiDi (test/e2e/engines/firefox/). WebKitGTK has no way.
 */
export async function workerStopper(
  page: Page,
  engine: EngineName = currentEngine(),
): Promise<WorkerStopper> {
  if (engine === 'firefox') {
    const { stopFirefoxWorkers } = await import('../engines/firefox/stopFirefoxWorkers.ts');
    return { stop: () => stopFirefoxWorkers(page), detach: () => Promise.resolve() };
  }
  if (engine !== 'chromium') throw new Error(engineLimit(engine, 'stopWorker'));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  return {
    stop: async () => {
      await cdp.send('ServiceWorker.stopAllWorkers');
    },
    detach: () => cdp.detach(),
  };
}
