import type { Page } from '@playwright/test';

/** Stops every service worker the way the browser would (CDP), mid-request or not. */
export async function stopWorkers(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
}

/** A CDP session kept open, for stopping the workers several times in quick succession. */
export interface WorkerStopper {
  stop(): Promise<void>;
  detach(): Promise<void>;
}

export async function workerStopper(page: Page): Promise<WorkerStopper> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  return {
    stop: async () => {
      await cdp.send('ServiceWorker.stopAllWorkers');
    },
    detach: () => cdp.detach(),
  };
}
