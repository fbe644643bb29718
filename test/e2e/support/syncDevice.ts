import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { call, callAll, type Answer } from './app.ts';
import { dispatchBackgroundSync } from './backgroundSync.ts';
import type { ActorStatus } from '../../../src/client/ActorViews.ts';
import { appUrl } from './browser.ts';

/** `GET {scope}{id}/status` (src/host/readResource.ts), as the client library types it. */
export type SyncStatus = ActorStatus;

/** How a device's worker is configured: the query of its page (see test/e2e/app/main.ts). */
export interface SyncDeviceOptions {
  /** The page lives at `/{name}/`, its worker's scope; the host answers `/{name}/actors/`. */
  readonly name: string;
  /** The WebDAV collection URL the worker syncs to, or several to spread actors over. */
  readonly remote: string | readonly string[];
  /** `confirmTimeoutMs` of the host. Default: the library's. */
  readonly confirm?: number;
  /** Base64 `user:password` for Basic auth. Default: none. */
  readonly token?: string;
  /** `'none'` hides the Background Sync API from the worker, as in Firefox and WebKit. */
  readonly backgroundSync?: 'none';
  /** `remote.timeoutMs` of the host. Default: the library's. */
  readonly timeout?: number;
  /**
   * Another build of the app's worker (vite.config.ts): `sw-next`, the app's next release (one
   * more command, test/e2e/app/testCommands.ts), or `sw-unprobed`, the remote's probe forced off.
   * Default: today's release, `sw`.
   */
  readonly worker?: 'sw-next' | 'sw-unprobed';
  /** `checkpointEvery` of the host: a checkpoint at least every this many versions. */
  readonly checkpointEvery?: number;
}

/** One browser profile (one IndexedDB, so one device id) with a page of the sync app open. */
export class SyncDevice {
  readonly page: Page;
  readonly name: string;
  readonly #context: BrowserContext | undefined;

  constructor(page: Page, name: string, ownContext?: BrowserContext) {
    this.page = page;
    this.name = name;
    this.#context = ownContext;
  }

  /** Opens a new browser context (a new device) with the app's page at `/{name}/`. */
  static async open(browser: Browser, options: SyncDeviceOptions): Promise<SyncDevice> {
    const context = await browser.newContext({ baseURL: appUrl, serviceWorkers: 'allow' });
    const page = await context.newPage();
    await openSyncPage(page, options);
    return new SyncDevice(page, options.name, context);
  }

  /** `/{name}/actors/{actor}/`. */
  path(actor: string, rest = ''): string {
    return `/${this.name}/actors/${actor}/${rest}`;
  }

  /** `PUT tasks` with key `key` and body `{n: key}`. */
  putTask(actor: string, key: string): Promise<Answer> {
    return call(this.page, {
      method: 'PUT',
      path: this.path(actor, 'tasks'),
      key,
      body: { n: key },
    });
  }

  /** The same `PUT tasks` for every key, all at once; `retryUnanswered` as in `Call`. */
  putTasks(
    actor: string,
    keys: readonly string[],
    { retryUnanswered = false }: { retryUnanswered?: boolean } = {},
  ): Promise<Answer[]> {
    return callAll(
      this.page,
      keys.map((key) => ({
        method: 'PUT',
        path: this.path(actor, 'tasks'),
        key,
        body: { n: key },
        retryUnanswered,
      })),
    );
  }

  async status(actor: string): Promise<SyncStatus> {
    const answer = await call(this.page, { path: this.path(actor, 'status') });
    expect(answer.status, answer.text).toBe(200);
    return answer.json as SyncStatus;
  }

  async state(actor: string): Promise<unknown> {
    const answer = await call(this.page, { path: this.path(actor, 'state') });
    expect(answer.status, answer.text).toBe(200);
    return answer.json;
  }

  /** `GET tasks/{key}`: the receipt and its stored answer. */
  receipt(actor: string, key: string): Promise<Answer> {
    return call(this.page, { path: this.path(actor, `tasks/${encodeURIComponent(key)}`) });
  }

  /** Polls the actor's status until `check` passes (it should `expect`), at most `timeoutMs`. */
  async waitForStatus(
    actor: string,
    check: (status: SyncStatus) => void,
    timeoutMs = 30_000,
  ): Promise<SyncStatus> {
    let last: SyncStatus | undefined;
    await expect(async () => {
      last = await this.status(actor);
      check(last);
    }).toPass({ timeout: timeoutMs, intervals: [100, 200, 250, 500] });
    if (last === undefined) throw new Error('no status was read');
    return last;
  }

  /** Waits until nothing of the actor is pending and no round is running. */
  waitUntilSynced(actor: string, timeoutMs = 30_000): Promise<SyncStatus> {
    return this.waitForStatus(
      actor,
      (status) => {
        expect(status.pending, JSON.stringify(status)).toBe(0);
        expect(status.syncing, JSON.stringify(status)).toBe(false);
      },
      timeoutMs,
    );
  }

  /** What a page sends when it comes back online: the worker syncs every actor it knows. */
  async syncNow(): Promise<void> {
    await this.page.evaluate(() => {
      const worker = navigator.serviceWorker.controller;
      if (worker === null) throw new Error('no worker controls the page');
      worker.postMessage({ type: 'actordav:sync', urgent: true });
    });
  }

  /** What the client library posts every few seconds while it knows of unconfirmed messages. */
  async nudge(): Promise<void> {
    await this.page.evaluate(() => {
      navigator.serviceWorker.controller?.postMessage({ type: 'actordav:sync', urgent: false });
    });
  }

  /** What the browser does when connectivity returns: a Background Sync event (tag `actordav`). */
  backgroundSync(): Promise<void> {
    return dispatchBackgroundSync(this.page, new URL(`/${this.name}/`, appUrl).href);
  }

  /** How many Background Sync events reached the worker since it started, and whether it has the API. */
  async syncEvents(): Promise<{ syncEvents: number; hasApi: boolean }> {
    const answer = await call(this.page, { path: `/${this.name}/__sync-events` });
    expect(answer.status).toBe(200);
    return answer.json as { syncEvents: number; hasApi: boolean };
  }

  /** `GET /{name}/__token`: the worker's Basic credentials from now on (undefined: none). */
  async setToken(token: string | undefined): Promise<void> {
    const query = token === undefined ? '' : `?value=${encodeURIComponent(token)}`;
    const answer = await call(this.page, { path: `/${this.name}/__token${query}` });
    expect(answer.status).toBe(204);
  }

  /** Closes the device's own context (a device opened on a given page is left alone). */
  async close(): Promise<void> {
    await this.#context?.close();
  }
}

/** Navigates to the sync app's page and waits until its worker controls it. */
export async function openSyncPage(page: Page, options: SyncDeviceOptions): Promise<void> {
  const query = new URLSearchParams({ variant: 'sync' });
  for (const remote of [options.remote].flat()) query.append('remote', remote);
  if (options.confirm !== undefined) query.set('confirm', String(options.confirm));
  if (options.token !== undefined) query.set('token', options.token);
  if (options.backgroundSync !== undefined) query.set('backgroundSync', options.backgroundSync);
  if (options.timeout !== undefined) query.set('timeout', String(options.timeout));
  if (options.worker !== undefined) query.set('worker', options.worker);
  if (options.checkpointEvery !== undefined) {
    query.set('checkpointEvery', String(options.checkpointEvery));
  }
  await page.goto(`/${options.name}/?${query.toString()}`);
  await expect(page.locator('#ready')).toHaveText('ready');
}

/** Base64 `user:password`, as the app's `token` takes it. */
export function basicToken(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`).toString('base64');
}
