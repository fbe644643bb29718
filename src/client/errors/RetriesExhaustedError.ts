import { ActorClientError } from './ActorClientError.ts';

/**
 * Every attempt failed in a way worth retrying (the network, the worker
 * restarting, a 5xx, a 503 with Retry-After) until `retry.maxAttempts` or
 * `retry.maxElapsedMs` ran out. The request may still have reached the
 * worker: its key stays stored, and `client.resume()` sends it again under
 * the same key. `cause` is the last failure.
 */
export class RetriesExhaustedError extends ActorClientError {
  override name = 'RetriesExhaustedError' as const;
  readonly attempts: number;
  readonly elapsedMs: number;

  constructor(
    attempts: number,
    elapsedMs: number,
    options: { cause?: unknown; actorId?: string | undefined; key?: string | undefined } = {},
  ) {
    super(
      'retries-exhausted',
      `Gave up after ${attempts} attempt(s) in ${elapsedMs} ms: ${describe(options.cause)}`,
      options,
    );
    this.attempts = attempts;
    this.elapsedMs = elapsedMs;
  }
}

/** True for a RetriesExhaustedError, also one that crossed `postMessage` (checks `name`). */
export function isRetriesExhaustedError(value: unknown): value is RetriesExhaustedError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'RetriesExhaustedError'
  );
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
