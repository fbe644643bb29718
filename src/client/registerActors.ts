import { NotControlledError } from './errors/NotControlledError.ts';

/** Options of `registerActors`. */
export interface RegisterActorsOptions {
  /** Registration scope. Default `/`. */
  scope?: string;
  /** Register as a module worker. Default `module`. */
  type?: WorkerType;
  /** Ask for persistent storage, so the browser does not evict pending work. Default true. */
  persist?: boolean;
  /**
   * How long to wait for the worker to control the page before rejecting
   * with `NotControlledError` `control-timeout`; raise it if the worker's
   * install is slow (a large precache). Default 10 s.
   */
  timeoutMs?: number;
}

/** The browser's answer to the request for persistent storage. */
export type PersistenceAnswer = boolean | 'unsupported' | 'skipped';

/** What registering produced. */
export interface ActorsRegistration {
  registration: ServiceWorkerRegistration;
  /**
   * Whether storage is persistent (`navigator.storage.persist()`), settled
   * when the browser answers: Firefox asks the user first, so this may take
   * as long as they do, and registering never waits for it. `unsupported`
   * where the browser lacks the API (WebKitGTK), `skipped` with
   * `persist: false`; never rejects (a failed request is `false`).
   */
  persisted: Promise<PersistenceAnswer>;
}

/**
 * Registers the actordav service worker, waits until it controls this page
 * (the worker must call `clients.claim()`, as `host.listen()` and Workbox's
 * `clientsClaim()` do), and asks for persistent storage so the browser does
 * not evict messages the remote has not confirmed — without waiting for the
 * answer, which may be a permission prompt.
 *
 * Never waits forever: it rejects with a `NotControlledError` when the page
 * is outside the registration's scope (`outside-scope`), after a hard reload
 * (`hard-reload`), or when no worker controls the page within `timeoutMs`
 * (`control-timeout`).
 *
 * @example
 * ```ts
 * import { registerActors } from 'actordav/client';
 * const { persisted } = await registerActors('/sw.js');
 * void persisted.then((answer) => console.log('persistent storage:', answer));
 * ```
 */
export async function registerActors(
  swUrl: string | URL,
  options: RegisterActorsOptions = {},
): Promise<ActorsRegistration> {
  const { scope = '/', type = 'module', persist = true, timeoutMs = 10_000 } = options;
  if (typeof swUrl !== 'string' && !(swUrl instanceof URL)) {
    throw new TypeError('swUrl must be a string or a URL');
  }
  if (typeof scope !== 'string') throw new TypeError('options.scope must be a string');
  if (type !== 'module' && type !== 'classic') {
    throw new TypeError('options.type must be "module" or "classic"');
  }
  if (typeof persist !== 'boolean') throw new TypeError('options.persist must be a boolean');
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0)) {
    throw new RangeError(`options.timeoutMs must be a number > 0, got ${String(timeoutMs)}`);
  }
  const container = (navigator as Navigator | undefined)?.serviceWorker;
  if (container === undefined) {
    throw new TypeError('Service workers are unavailable here (they need a secure context)');
  }
  const registration = await container.register(swUrl, { scope, type });
  if (container.controller === null) await untilControlled(container, registration, timeoutMs);
  return { registration, persisted: persist ? askPersistence() : Promise.resolve('skipped') };
}

/**
 * How long a page that an active worker does not control waits for a claim
 * before it counts as a hard reload: a second tab of a first load sees the
 * worker active a moment before its claim arrives.
 */
const claimGraceMs = 2000;

async function untilControlled(
  container: ServiceWorkerContainer,
  registration: ServiceWorkerRegistration,
  timeoutMs: number,
): Promise<void> {
  // `location` is a page's; elsewhere (tests, odd embeddings) there is no URL to compare.
  const href = (globalThis as { location?: { href?: unknown } }).location?.href;
  if (typeof href === 'string' && !href.startsWith(registration.scope)) {
    throw new NotControlledError(
      'outside-scope',
      `This page (${href}) is outside the worker's scope ${registration.scope}: register with a ` +
        'scope that contains it (the worker script must be at or above it, or send Service-Worker-Allowed)',
      registration,
    );
  }
  // A worker done activating that does not control a page in its scope: the load bypassed it.
  // (One still activating may be about to claim this page: that waits the whole time. So does an
  // update in flight, which claims the page when it activates: WebKit takes seconds for that.)
  const hardReload = registration.active?.state === 'activated';
  const updating = () => (registration.installing ?? registration.waiting ?? null) !== null;
  const deadline = Date.now() + timeoutMs;
  let onChange: (() => void) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      onChange = () => resolve();
      container.addEventListener('controllerchange', onChange);
      const expire = () => {
        if (hardReload && !updating()) {
          reject(
            new NotControlledError(
              'hard-reload',
              'A service worker is active but does not control this page: a hard reload ' +
                '(Shift+Reload) bypasses it until the next normal reload. Reload normally',
              registration,
            ),
          );
        } else if (Date.now() < deadline) {
          timer = setTimeout(expire, deadline - Date.now());
        } else {
          reject(
            new NotControlledError(
              'control-timeout',
              `No service worker took control of this page within ${timeoutMs} ms: the worker ` +
                'must call clients.claim() on activate (host.listen() does; with Workbox, ' +
                'clientsClaim()); if its install is slow, raise options.timeoutMs',
              registration,
            ),
          );
        }
      };
      timer = setTimeout(expire, hardReload ? Math.min(claimGraceMs, timeoutMs) : timeoutMs);
    });
  } finally {
    clearTimeout(timer);
    if (onChange !== undefined) container.removeEventListener('controllerchange', onChange);
  }
}

// Asks only when not granted yet: where persistence is a prompt (Firefox), a second ask is a second prompt.
async function askPersistence(): Promise<PersistenceAnswer> {
  // WebKitGTK has no navigator.storage at all, though the DOM types say it always exists.
  const storage: Partial<StorageManager> | undefined = (navigator as { storage?: StorageManager })
    .storage;
  if (typeof storage?.persist !== 'function') return 'unsupported';
  try {
    if (typeof storage.persisted === 'function' && (await storage.persisted())) return true;
    return await storage.persist();
  } catch {
    return false;
  }
}
