import { readdir, readFile } from 'node:fs/promises';
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/support/browser.ts';
import type { EngineName } from '../e2e/support/engines.ts';
import { launchPersistent } from '../e2e/support/launchEngine.ts';
import { workerStopper, type WorkerStopper } from '../e2e/support/worker.ts';
import type { MovableClock } from './movableClock.ts';
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

/** An actor's state as the runner compares it: its task keys in order, and its refund total. */
export interface StateView {
  readonly tasks: string[];
  readonly total: number | undefined;
}

/** A sync round that stopped on an error, as the worker broadcast it to the device's tabs. */
export interface SyncFailure {
  readonly actor: string;
  readonly code: string;
  readonly message: string;
}

/** A receipt as the runner reads it from IndexedDB. */
export interface ReceiptView {
  readonly status: string;
  readonly answerStatus: number;
  /** The answer body's `result`, when it has one (a replay from the remote registry has none). */
  readonly result: unknown;
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
  /** Each sync round of the device that stopped on an error (heard on the `actordav` channel). */
  readonly onSyncFailure: (device: DeviceName, failure: SyncFailure) => void;
  /** A Chromium whose wall clock is this one (libfaketime) instead of the machine's. */
  readonly clock?: MovableClock;
}

/** The binding the page calls for each failed sync round it hears. */
const syncFailureBinding = '__chaosSyncFailure';

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
    const context = await this.#open();
    await context.exposeFunction(reportBinding, (report: SendReport) =>
      options.onReport(options.name, report),
    );
    await context.exposeFunction(syncFailureBinding, (failure: SyncFailure) =>
      options.onSyncFailure(options.name, failure),
    );
    const pages = [...context.pages()];
    while (pages.length < options.tabs) pages.push(await context.newPage());
    for (const page of pages) await openApp(page, options.pagePath, options.clock !== undefined);
    const first = pages[0];
    if (first === undefined) throw new Error('no page');
    await listenForSyncFailures(first);
    const stopper = await workerStopper(
      first,
      options.clock === undefined ? options.engine : 'chromium',
    );
    this.#context = context;
    this.#pages = pages;
    this.#stopper = stopper;
    this.deviceIds.push(await readDeviceId(first));
  }

  /** The browser on its profile: the engine's own, or Chromium on the device's clock. */
  #open(): Promise<BrowserContext> {
    const { options } = this;
    const logArgs = [...(chromiumLaunchOptions.args ?? []), '--enable-logging=stderr', '--v=0'];
    if (options.clock !== undefined) {
      return chromium.launchPersistentContext(options.profileDir, {
        ...chromiumLaunchOptions,
        ...options.clock.launchOptions(),
        ...(browserLog ? { args: logArgs } : {}),
        serviceWorkers: 'allow',
        baseURL: options.appUrl,
      });
    }
    return launchPersistent(options.engine, options.profileDir, {
      baseURL: options.appUrl,
      ...(browserLog && options.engine === 'chromium' ? { args: logArgs } : {}),
    });
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

  /** What the runner compares with the head: each actor's task keys and total, as this device holds them. */
  stateViews(scope: string, actors: readonly string[]): Promise<Record<string, StateView>> {
    return this.#page().evaluate(
      async ({ scope, actors }) => {
        const entries = await Promise.all(
          actors.map(async (actor) => {
            const response = await fetch(`${scope}${actor}/state`);
            const state = (await response.json()) as { tasks?: { key: string }[]; total?: number };
            const view = { tasks: (state.tasks ?? []).map((task) => task.key), total: state.total };
            return [actor, view] as const;
          }),
        );
        return Object.fromEntries(entries);
      },
      { scope, actors: [...actors] },
    );
  }

  /** Every receipt in the device's IndexedDB, by `actor/key`. */
  receipts(): Promise<Record<string, ReceiptView>> {
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
      const views: Record<string, { status: string; answerStatus: number; result: unknown }> = {};
      for (const row of rows as {
        actorId: string;
        key: string;
        status: string;
        answer: { status: number; body: string };
      }[]) {
        let result: unknown;
        try {
          result = (JSON.parse(row.answer.body) as { result?: unknown }).result;
        } catch {
          result = undefined;
        }
        views[`${row.actorId}/${row.key}`] = {
          status: row.status,
          answerStatus: row.answer.status,
          result,
        };
      }
      return views;
    });
  }

  #page(): Page {
    const page = this.#pages[0];
    if (page === undefined) throw new Error(`device ${this.options.name} is not running`);
    return page;
  }
}

/**
 * Opens the app in a tab until its worker controls it. Under libfaketime (every time call of
 * every Chromium process intercepted) the first load can take many times longer: try again.
 */
async function openApp(page: Page, path: string, slow: boolean): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(path, { timeout: slow ? 60_000 : 30_000 });
      await page.locator('#ready').filter({ hasText: 'ready' }).waitFor({ timeout: 30_000 });
      return;
    } catch (error) {
      if (!slow || attempt === 4) throw error;
    }
  }
}

/**
 * Hands every `sync`/`failed` event the worker broadcasts to the runner, so that a `remote-fork`
 * or `remote-unsafe` that a later round clears from the status is still counted. One tab
 * listens; the channel object is kept on `window` so that it is not collected.
 */
async function listenForSyncFailures(page: Page): Promise<void> {
  await page.evaluate((binding) => {
    const report = (window as unknown as Record<string, (failure: unknown) => Promise<void>>)[
      binding
    ];
    const channel = new BroadcastChannel('actordav');
    (window as unknown as { __chaosChannel: BroadcastChannel }).__chaosChannel = channel;
    channel.onmessage = (event: MessageEvent) => {
      const data = event.data as {
        type?: string;
        phase?: string;
        actorId?: string;
        error?: { code: string; message: string } | null;
      };
      if (data.type !== 'sync' || data.phase !== 'failed' || !data.error) return;
      void report?.({ actor: data.actorId, code: data.error.code, message: data.error.message });
    };
  }, syncFailureBinding);
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
