/** How an unsafe call retries. Every retry reuses the same Idempotency-Key. */
export interface RetryOptions {
  /** Attempts in all, the first one included. Default 8. */
  maxAttempts?: number;
  /** No new attempt starts once this long has passed since the first. Default 30 000 ms. */
  maxElapsedMs?: number;
  /** The first retry waits a random time below this ("full jitter"). Default 250 ms. */
  baseDelayMs?: number;
  /** The jitter window doubles per retry up to this cap. Default 5 000 ms. */
  maxDelayMs?: number;
}

/** Options of `createActorClient`; every one has a default. */
export interface ActorClientOptions {
  /** The path prefix the worker's host answers (its `scope` option). Default `/actors/`. */
  scope?: string;
  retry?: RetryOptions;
  /**
   * Where keys of unfinished calls are kept across reloads. Default
   * `localStorage` (shared by the origin's tabs); `null` keeps nothing.
   */
  storage?: Storage | null;
  /** Post `{type: 'actordav:sync'}` to the worker on the window's `online` event. Default true. */
  syncOnOnline?: boolean;
  /**
   * While this page knows of unconfirmed messages, post `{type: 'actordav:sync'}`
   * this often: an idle worker is stopped with its retry timer, and this is
   * what brings pending work to a remote that came back. Default 10 s; 0 never.
   */
  syncIntervalMs?: number;
  /**
   * Refuse to send (NoWorkerError) while no service worker controls the page,
   * so requests never reach the network by mistake. Default true.
   */
  requireController?: boolean;
  /** The fetch to use. Default the global `fetch`. */
  fetch?: typeof fetch;
}

/** The options with every default filled in. */
export interface ClientConfig {
  scope: string;
  retry: Required<RetryOptions>;
  storage: Storage | null;
  syncOnOnline: boolean;
  syncIntervalMs: number;
  requireController: boolean;
  fetch: typeof fetch;
}

const scopePattern = /^\/([A-Za-z0-9._~-]+\/)*$/;

/** Fills defaults and throws a TypeError or RangeError naming the first bad option. */
export function normalizeClientOptions(options: ActorClientOptions = {}): ClientConfig {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('options must be an object');
  }
  const scope = options.scope ?? '/actors/';
  // `.` and `..` segments are refused too: URL parsing folds them, so no request would match.
  if (typeof scope !== 'string' || !scopePattern.test(scope) || /\/\.{1,2}\//.test(scope)) {
    throw new TypeError(
      `options.scope must be a path that starts and ends with "/", got ${JSON.stringify(scope)}`,
    );
  }
  const retry = {
    maxAttempts: options.retry?.maxAttempts ?? 8,
    maxElapsedMs: options.retry?.maxElapsedMs ?? 30_000,
    baseDelayMs: options.retry?.baseDelayMs ?? 250,
    maxDelayMs: options.retry?.maxDelayMs ?? 5_000,
  };
  integer('retry.maxAttempts', retry.maxAttempts, 1);
  integer('retry.maxElapsedMs', retry.maxElapsedMs, 0);
  integer('retry.baseDelayMs', retry.baseDelayMs, 0);
  integer('retry.maxDelayMs', retry.maxDelayMs, 0);
  if (retry.maxDelayMs < retry.baseDelayMs) {
    throw new RangeError('options.retry.maxDelayMs must be >= options.retry.baseDelayMs');
  }
  const storage = options.storage === undefined ? defaultStorage() : options.storage;
  if (storage !== null && typeof storage?.getItem !== 'function') {
    throw new TypeError('options.storage must be a Storage (like localStorage) or null');
  }
  const syncIntervalMs = options.syncIntervalMs ?? 10_000;
  integer('syncIntervalMs', syncIntervalMs, 0);
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  if (typeof fetchImpl !== 'function') throw new TypeError('options.fetch must be a function');
  return {
    scope,
    retry,
    storage,
    syncOnOnline: flag('syncOnOnline', options.syncOnOnline, true),
    syncIntervalMs,
    requireController: flag('requireController', options.requireController, true),
    fetch: fetchImpl,
  };
}

function integer(name: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`options.${name} must be an integer >= ${min}, got ${String(value)}`);
  }
}

function flag(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`options.${name} must be a boolean`);
  return value;
}

// Reading `localStorage` throws in sandboxed frames and where cookies are blocked.
function defaultStorage(): Storage | null {
  try {
    return (globalThis as { localStorage?: Storage }).localStorage ?? null;
  } catch {
    return null;
  }
}
