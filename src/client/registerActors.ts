/** Options of `registerActors`. */
export interface RegisterActorsOptions {
  /** Registration scope. Default `/`. */
  scope?: string;
  /** Register as a module worker. Default `module`. */
  type?: WorkerType;
  /** Ask for persistent storage, so the browser does not evict pending work. Default true. */
  persist?: boolean;
}

/** What registering produced. */
export interface ActorsRegistration {
  registration: ServiceWorkerRegistration;
  /**
   * Whether storage is persistent (`navigator.storage.persist()`); `unsupported`
   * where the browser lacks the API, `skipped` with `persist: false`.
   */
  persisted: boolean | 'unsupported' | 'skipped';
}

/**
 * Registers the actordav service worker, waits until it controls this page
 * (the worker must call `clients.claim()`, as Workbox's `clientsClaim()`
 * does, or this waits for the next load), and asks for persistent storage
 * so the browser does not evict messages the remote has not confirmed.
 *
 * @example
 * ```ts
 * import { registerActors } from 'actordav/client';
 * const { persisted } = await registerActors('/sw.js');
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
  const persisted = !persist
    ? 'skipped'
    : typeof navigator.storage?.persist !== 'function'
      ? 'unsupported'
      : await navigator.storage.persist();
  return { registration, persisted };
}
