import type { ActorAnswer } from './ActorResult.ts';
import { backoffDelay } from './backoffDelay.ts';
import type { ClientConfig } from './clientOptions.ts';
import { ActorHttpError } from './errors/ActorHttpError.ts';
import { RetriesExhaustedError } from './errors/RetriesExhaustedError.ts';
import { isRetryableAnswer } from './isRetryableAnswer.ts';
import { readAnswer } from './readAnswer.ts';
import { retryAfterMs } from './retryAfter.ts';
import { sleep } from '../timers/sleep.ts';
import { strayAnswer } from './strayAnswer.ts';

/** One request to the worker, ready to send again byte for byte. */
export interface ActorRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/**
 * Sends a request until an answer that retrying cannot change, and returns
 * it (2xx or not: the caller decides). Network errors — `TypeError: Failed
 * to fetch`, as when the worker restarts mid-request — and retryable answers
 * (see isRetryableAnswer) and answers the worker did not write (see
 * strayAnswer) are tried again, the same bytes and so the same
 * Idempotency-Key, after a full-jitter wait or the answer's Retry-After.
 *
 * @throws {RetriesExhaustedError} when `retry.maxAttempts` or `retry.maxElapsedMs` run out.
 * @throws the signal's reason when it aborts.
 */
export async function requestWithRetry(
  config: ClientConfig,
  request: ActorRequest,
  context: { actorId?: string; key?: string; signal?: AbortSignal } = {},
): Promise<ActorAnswer> {
  const { retry } = config;
  const { signal } = context;
  const started = Date.now();
  const about = { actorId: context.actorId, key: context.key };
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    let failure: unknown;
    let asked: number | undefined;
    try {
      const response = await config.fetch(request.path, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        ...(signal === undefined ? {} : { signal }),
        cache: 'no-store',
        credentials: 'same-origin',
      });
      const answer = await readAnswer(response);
      const stray = strayAnswer(answer, about);
      if (stray === undefined && !isRetryableAnswer(answer)) return answer;
      failure = stray ?? new ActorHttpError(answer, about);
      asked = stray === undefined ? retryAfterMs(answer.headers['retry-after']) : undefined;
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      // fetch rejects with a TypeError on network failure (Fetch spec); anything else is a bug.
      if (!(error instanceof TypeError)) throw error;
      failure = error;
    }
    const wait = asked ?? backoffDelay(attempt - 1, retry);
    const elapsed = Date.now() - started;
    if (attempt >= retry.maxAttempts || elapsed + wait > retry.maxElapsedMs) {
      throw new RetriesExhaustedError(attempt, elapsed, { cause: failure, ...about });
    }
    await sleep(wait, signal);
  }
}
