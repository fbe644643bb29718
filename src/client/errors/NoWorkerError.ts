import { ActorClientError } from './ActorClientError.ts';

/**
 * No service worker controls this page (not registered yet, or a hard
 * reload bypassed it), so a request to the actors would reach the network
 * instead of the worker. Nothing was sent. Call `registerActors()` first, or
 * reload normally.
 */
export class NoWorkerError extends ActorClientError {
  override name = 'NoWorkerError' as const;

  constructor(options: { actorId?: string | undefined } = {}) {
    super(
      'no-worker',
      'No service worker controls this page: call registerActors() first (a hard reload bypasses the worker)',
      options,
    );
  }
}

/** True for a NoWorkerError, also one that crossed `postMessage` (checks `name`). */
export function isNoWorkerError(value: unknown): value is NoWorkerError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'NoWorkerError'
  );
}
