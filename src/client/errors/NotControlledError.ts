import { ActorClientError } from './ActorClientError.ts';

/** Why `registerActors()` gave up waiting for its worker to control the page. */
export type NotControlledCode = 'outside-scope' | 'hard-reload' | 'control-timeout';

/**
 * `registerActors()` registered the worker, but it does not control this
 * page and will not: the page is outside the registration's scope
 * (`outside-scope`), a hard reload (Shift+Reload) bypassed an active worker
 * (`hard-reload`: a normal reload fixes it), or no worker took control within
 * `timeoutMs` (`control-timeout`: the worker must call `clients.claim()`, as
 * `host.listen()` and Workbox's `clientsClaim()` do). The message says what
 * to do; `registration` is what was registered.
 */
export class NotControlledError extends ActorClientError {
  override name = 'NotControlledError' as const;
  override readonly code: NotControlledCode;
  readonly registration: ServiceWorkerRegistration;

  constructor(code: NotControlledCode, message: string, registration: ServiceWorkerRegistration) {
    super(code, message);
    this.code = code;
    this.registration = registration;
  }
}

/** True for a NotControlledError, also one that crossed `postMessage` (checks `name`). */
export function isNotControlledError(value: unknown): value is NotControlledError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'NotControlledError'
  );
}
