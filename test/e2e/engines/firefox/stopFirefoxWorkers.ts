import type { Page } from '@playwright/test';
import { randomUUID } from 'node:crypto';
import { markerPrefix } from './marker.ts';
import { liveEntries, type ProxyEntry } from './registry.ts';
import type { FirefoxWorker } from './serviceWorkers.ts';

export type { FirefoxWorker } from './serviceWorkers.ts';

/**
 * Terminates every running service worker of the Firefox the page is in (all its contexts), the
 * way the browser does when a worker idles out: the next event starts a fresh one. The Firefox
 * counterpart of CDP's `ServiceWorker.stopAllWorkers`.
 */
export async function stopFirefoxWorkers(page: Page): Promise<void> {
  await control(await proxyOf(page), 'POST', 'stop-workers');
}

/**
 * The service worker registrations of the page's Firefox; an active worker's `launchCount` grows
 * by one each time it starts again after a stop.
 */
export async function firefoxWorkers(page: Page): Promise<FirefoxWorker[]> {
  return control(await proxyOf(page), 'GET', 'workers');
}

const known = new WeakMap<Page, ProxyEntry>();

/**
 * Finds the proxy that carries this page's BiDi connection (Playwright does not say which process
 * a page lives in): the page evaluates a fresh marker, which passes through exactly one proxy, and
 * each live proxy is asked whether it saw it. So parallel workers, each with its own Firefox, each
 * stop only their own.
 */
async function proxyOf(page: Page): Promise<ProxyEntry> {
  const cached = known.get(page);
  if (cached !== undefined) return cached;
  const marker = `${markerPrefix}${randomUUID()}`;
  await page.evaluate((text) => text, marker);
  for (const entry of liveEntries()) {
    const answer = await fetch(`${entry.controlUrl}/seen?marker=${marker}`).catch(() => undefined);
    if (answer?.ok === true && ((await answer.json()) as { seen: boolean }).seen) {
      known.set(page, entry);
      return entry;
    }
  }
  throw new Error('this page is not in a Firefox started through firefox-bidi');
}

async function control(entry: ProxyEntry, method: string, path: string): Promise<FirefoxWorker[]> {
  const answer = await fetch(`${entry.controlUrl}/${path}`, { method });
  const body = (await answer.json()) as { workers?: FirefoxWorker[]; error?: string };
  if (!answer.ok || body.workers === undefined) {
    throw new Error(`firefox-bidi ${path}: ${body.error ?? answer.status}`);
  }
  return body.workers;
}
