/** Options of `registerActors`. */
export interface RegisterActorsOptions {
  /** Registration scope. Default `/`. */
  scope?: string;
  /** Register as a module worker. Default `module`. */
  type?: WorkerType;
  /** Ask for persistent storage, so the browser does not evict pending work. Default true. */
  persist?: boolean;
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
 * (the worker must call `clients.claim()`, as Workbox's `clientsClaim()`
 * does, or this waits for the next load), and asks for persistent storage
 * so the browser does not evict messages the remote has not confirmed —
 * without waiting for the answer, which may be a permission prompt.
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
  const { scope = '/', type = 'module', persist = true } = options;
  if (typeof swUrl !== 'string' && !(swUrl instanceof URL)) {
    throw new TypeError('swUrl must be a string or a URL');
  }
  if (typeof scope !== 'string') throw new TypeError('options.scope must be a string');
  if (type !== 'module' && type !== 'classic') {
    throw new TypeError('options.type must be "module" or "classic"');
  }
  if (typeof persist !== 'boolean') throw new TypeError('options.persist must be a boolean');
  const container = (navigator as Navigator | undefined)?.serviceWorker;
  if (container === undefined) {
    throw new TypeError('Service workers are unavailable here (they need a secure context)');
  }
  const registration = await container.register(swUrl, { scope, type });
  if (container.controller === null) {
    await new Promise<void>((resolve) =>
      container.addEventListener('controllerchange', () => resolve(), { once: true }),
    );
  }
  return { registration, persisted: persist ? askPersistence() : Promise.resolve('skipped') };
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
