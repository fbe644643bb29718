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
  /** Whether storage is persistent (`navigator.storage.persist()`), or `unsupported`. */
  persisted: boolean | 'unsupported';
}

/**
 * Registers the actordav service worker, waits until it controls this page,
 * and asks for persistent storage.
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
  const container = navigator.serviceWorker;
  if (container === undefined) {
    throw new TypeError('Service workers are unavailable here (they need a secure context)');
  }
  const registration = await container.register(swUrl, {
    scope: options.scope ?? '/',
    type: options.type ?? 'module',
  });
  if (container.controller === null) {
    await new Promise<void>((resolve) =>
      container.addEventListener('controllerchange', () => resolve(), { once: true }),
    );
  }
  const persisted =
    options.persist === false || navigator.storage?.persist === undefined
      ? 'unsupported'
      : await navigator.storage.persist();
  return { registration, persisted };
}
