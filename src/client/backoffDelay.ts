import type { RetryOptions } from './clientOptions.ts';

/**
 * "Full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"): a
 * uniform wait in [0, min(maxDelayMs, baseDelayMs * 2^retry)), so many tabs
 * retrying after one worker restart spread out instead of arriving together.
 * `retry` counts from 0 for the first retry.
 */
export function backoffDelay(
  retry: number,
  options: Required<Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>>,
  random: () => number = Math.random,
): number {
  const window = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** retry);
  return Math.floor(random() * window);
}
