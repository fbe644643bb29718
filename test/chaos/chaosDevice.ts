import { readdir, readFile } from 'node:fs/promises';
import type { BrowserContext, Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/support/browser.ts';
import type { EngineName } from '../e2e/support/engines.ts';
import { launchPersistent } from '../e2e/support/launchEngine.ts';
import { workerStopper, type WorkerStopper } from '../e2e/support/worker.ts';
import { reportBinding, type SendReport } from './pageClient.ts';
import type { DeviceName, RestartKind } from './plan.ts';

/** `GET {scope}{id}/status`, the parts the runner reads. */
export interface ActorStatus {
  readonly id: string;
  readonly version: number;
  readonly pending: number;
  readonly syncing: boolean;
  readonly lastError: { code: string; message: string } | null;
}

export interface ChaosDeviceOptions {
  readonly name: DeviceName;
  /** Chromium or Firefox: the engines that keep a profile and can have their worker stopped. */
  readonly engine: EngineName;
  readonly profileDir: string;
  readonly appUrl: string;
  /** The page's path and query: `/{app}/?variant=sync&remote=…`. */
  readonly pagePath: string;
  readonly tabs: number;
  readonly onReport: (device: DeviceName, report: SendReport) => void;
}

/**
 * One device: a persistent Chromium or Firefox profile (its own IndexedDB, device id and worker)
 * with some tabs of the sync app open. It can have its worker stopped (CDP, or privileged BiDi in
 * Firefox) and its browser closed or killed and reopened on the same profile.
 */
export class ChaosDevice {
  readonly options: ChaosDeviceOptions;
  #context: BrowserContext | undefined;
  #pages: Page[] = [];
  #stopper: WorkerStopper | undefined;
  stops = 0;
  readonly restarts: Record<RestartKind, number> = { close: 0, kill: 0 };
  /** The device id in IndexedDB after each launch: a new one means the browser wiped the database. */
  readonly deviceIds: (string | undefined)[] = [];

  constructor(options: ChaosDeviceOptions) {
    this.options = options;
  }

  get pages(): readonly Page[] {
    return this.#pages;
  }

  async launch(): Promise<void> {
    const { options } = this;
    const context = await launchPersistent(options.engine, options.profileDir, {
      baseURL: options.appUrl,
      ...(browserLog && options.engine === 'chromium'
        ? { args: [...(chromiumLaunchOptions.args ?? []), '--enable-logging=stderr', '--v=0'] }
        : {}),
    });
    await context.exposeFunction(reportBinding, (report: SendReport) =>
      options.onReport(options.name, report),
    );
    const pages = [...context.pages()];
    while (pages.length < options.tabs) pages.push(await context.newPage());
    for (const page of pages) {
      await page.goto(options.pagePath);
      await page.locator('#ready').filter({ hasText: 'ready' }).waitFor({ timeout: 30_000 });
    }
    const first = pages[0];
    if (first === undefined) throw new Error('no page');
    const stopper = await workerStopper(first, options.engine);
    this.#context = context;
    this.#pages = pages;
    this.#stopper = stopper;
    this.deviceIds.push(await readDeviceId(first));
  }

  /** Restarts after which the device id differed from the one before: the database was wiped. */
  get wipes(): number {
    const ids = this.deviceIds.filter((id) => id !== undefined);
    return ids.filter((id, index) => index > 0 && id !== ids[index - 1]).length;
  }

  /** Stops the device's workers the way the browser would; the next fetch starts a fresh one. */
  async stopWorker(): Promise<void> {
    try {
      if (this.#stopper === undefined) return;
      await this.#stopper.stop();
      this.stops += 1;
    } catch {
      // The browser is closing (a restart overlaps the stop): nothing to stop.
    }
  }

  /** Closes the browser (or kills its main process) and reopens it on the same profile. */
  async restart(kind: RestartKind): Promise<void> {
    const context = this.#context;
    this.#context = undefined;
    this.#stopper = undefined;
    this.#pages = [];
    if (context !== undefined) {
      if (kind === 'kill') {
        const closed = new Promise<void>((resolve) => context.once('close', () => resolve()));
        const pid = await browserPid(this.options.profileDir, this.options.engine);
        if (pid === undefined) throw new Error(`no browser process for ${this.options.profileDir}`);
        process.kill(pid, 'SIGKILL');
        await closed;
      } else {
        await context.close();
      }
    }
    this.restarts[kind] += 1;
    await this.launch();
  }

  async close(): Promise<void> {
    await this.#context?.close();
    this.#context = undefined;
  }

  /** What a page posts when it comes online: the worker syncs every actor it knows. */
  async triggerSync(): Promise<void> {
    await this.#page().evaluate(() => {
      navigator.serviceWorker.controller?.postMessage({ type: 'actordav:sync', urgent: true });
    });
  }

  /** GET status of each actor. */
  statuses(scope: string, actors: readonly string[]): Promise<ActorStatus[]> {
    return this.#page().evaluate(
      async ({ scope, actors }) =>
        Promise.all(
          actors.map(async (actor) => {
            const response = await fetch(`${scope}${actor}/status`);
            return (await response.json()) as ActorStatus;
          }),
        ),
      { scope, actors: [...actors] },
    );
  }

  /** The keys of `state.tasks` of each actor, as this device holds it. */
  taskKeys(scope: string, actors: readonly string[]): Promise<Record<string, string[]>> {
    return this.#page().evaluate(
      async ({ scope, actors }) => {
        const entries = await Promise.all(
          actors.map(async (actor) => {
            const response = await fetch(`${scope}${actor}/state`);
            const state = (await response.json()) as { tasks?: { key: string }[] };
            return [actor, (state.tasks ?? []).map((task) => task.key)] as const;
          }),
        );
        return Object.fromEntries(entries);
      },
      { scope, actors: [...actors] },
    );
  }

  /** Every receipt in the device's IndexedDB: key → [status, answer status]. */
  receipts(): Promise<Record<string, [string, number]>> {
    return this.#page().evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open('actordav');
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onsuccess = () => resolve(open.result);
        open.onerror = () => reject(new Error('no actordav database'));
      });
      const rows = await new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction('receipts').objectStore('receipts').getAll();
        request.onsuccess = () => resolve(request.result as unknown[]);
        request.onerror = () => reject(new Error('cannot read receipts'));
      });
      db.close();
      const result: Record<string, [string, number]> = {};
      for (const row of rows as {
        actorId: string;
        key: string;
        status: string;
        answer: { status: number };
      }[]) {
        result[`${row.actorId}/${row.key}`] = [row.status, row.answer.status];
      }
      return result;
    });
  }

  #page(): Page {
    const page = this.#pages[0];
    if (page === undefined) throw new Error(`device ${this.options.name} is not running`);
    return page;
  }
}

/** `meta.deviceId` of the `actordav` database, or undefined when there is no database yet. */
function readDeviceId(page: Page): Promise<string | undefined> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase | undefined>((resolve) => {
      const open = indexedDB.open('actordav');
      // Never create it from the page: an empty version 1 would stop the worker's upgrade.
      open.onupgradeneeded = () => open.transaction?.abort();
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => resolve(undefined);
    });
    if (db === undefined) return undefined;
    try {
      return await new Promise<string | undefined>((resolve) => {
        const request = db.transaction('meta').objectStore('meta').get('deviceId');
        request.onsuccess = () =>
          resolve(typeof request.result === 'string' ? request.result : undefined);
        request.onerror = () => resolve(undefined);
      });
    } finally {
      db.close();
    }
  });
}

/**
 * CHAOS_BROWSER_LOG=1 makes Chromium log to stderr; run with DEBUG=pw:browser to see it (e.g.
 * what its IndexedDB does after a crash).
 */
const browserLog = process.env['CHAOS_BROWSER_LOG'] === '1';

/**
 * The PID of the browser's main process: Chromium's one process started with this profile and no
 * `--type=`; Firefox's one started with `--profile` this profile and no `-contentproc`.
 */
async function browserPid(profileDir: string, engine: EngineName): Promise<number | undefined> {
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const args = await readFile(`/proc/${entry}/cmdline`, 'utf8')
      .then((text) => text.split('\0'))
      .catch((): string[] => []);
    const main =
      engine === 'firefox'
        ? args.includes(profileDir) &&
          args.includes('--profile') &&
          !args.includes('-contentproc') &&
          !args.some((arg) => arg.endsWith('bidiProxy.ts'))
        : args.includes(`--user-data-dir=${profileDir}`) &&
          !args.some((arg) => arg.startsWith('--type='));
    if (main) return Number(entry);
  }
  return undefined;
}
