/** First retry waits up to this long. */
export const backoffBaseMs = 500;
/**
 * The longest wait between retries: with a page open, a remote that comes back
 * is reached within this plus one round (the aim is 30 s: [when a round runs](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md#when-a-round-runs-syncscheduler)).
 */
export const backoffCapMs = 15_000;

/** "Full jitter" backoff: a uniform wait in [0, min(cap, base * 2^attempt)). */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(backoffCapMs, backoffBaseMs * 2 ** attempt));
}
