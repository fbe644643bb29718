import type { CDPSession, Page } from '@playwright/test';

interface Registration {
  registrationId: string;
  scopeURL: string;
  isDeleted: boolean;
}

/**
 * Fires a Background Sync event (`tag`) at the worker registered for `scopeUrl`, the way the
 * browser does when connectivity returns (CDP `ServiceWorker.dispatchSyncEvent`).
 */
export async function dispatchBackgroundSync(
  page: Page,
  scopeUrl: string,
  tag = 'actordav',
): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const registrationId = await findRegistration(cdp, scopeUrl);
    await cdp.send('ServiceWorker.dispatchSyncEvent', {
      origin: new URL(scopeUrl).origin,
      registrationId,
      tag,
      lastChance: false,
    });
  } finally {
    await cdp.detach();
  }
}

// `ServiceWorker.enable` reports every registration through `workerRegistrationUpdated`.
async function findRegistration(cdp: CDPSession, scopeUrl: string): Promise<string> {
  const found = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no registration for ${scopeUrl}`)), 5_000);
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const match = (registrations as Registration[]).find(
        (registration) => registration.scopeURL === scopeUrl && !registration.isDeleted,
      );
      if (match === undefined) return;
      clearTimeout(timer);
      resolve(match.registrationId);
    });
  });
  await cdp.send('ServiceWorker.enable');
  return found;
}
