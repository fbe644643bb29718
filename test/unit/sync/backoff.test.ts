import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffBaseMs, backoffCapMs, backoffDelay } from '../../../src/sync/backoff.ts';

const justBelowOne = () => 1 - 1e-9;
/** The largest wait attempt `n` can produce. */
const upper = (n: number) => backoffDelay(n, justBelowOne);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('backoffDelay', () => {
  it('waits 0 when the random draw is 0', () => {
    for (const attempt of [0, 1, 5, 30]) expect(backoffDelay(attempt, () => 0)).toBe(0);
  });

  it('stays just below min(cap, base * 2^attempt) when the draw is just below 1', () => {
    expect(backoffBaseMs).toBe(500);
    expect(upper(0)).toBe(499);
    expect(upper(1)).toBe(999);
    expect(upper(4)).toBe(7999);
    for (let attempt = 0; attempt < 10; attempt++) {
      expect(upper(attempt)).toBe(Math.min(backoffCapMs, backoffBaseMs * 2 ** attempt) - 1);
    }
  });

  it('reaches the cap and stays there, also for huge attempts', () => {
    expect(backoffCapMs).toBeLessThanOrEqual(30_000);
    expect(upper(5)).toBe(backoffCapMs - 1);
    expect(upper(50)).toBe(backoffCapMs - 1);
    expect(upper(2000)).toBe(backoffCapMs - 1);
  });

  it('has an upper bound that never decreases with the attempt', () => {
    const bounds = Array.from({ length: 40 }, (_, attempt) => upper(attempt));
    bounds.slice(1).forEach((bound, index) => expect(bound).toBeGreaterThanOrEqual(bounds[index]!));
  });

  it('scales the draw uniformly into whole milliseconds', () => {
    expect(backoffDelay(2, () => 0.5)).toBe(1000);
    expect(backoffDelay(2, () => 0.25)).toBe(500);
    expect(Number.isInteger(backoffDelay(3, () => 0.123456))).toBe(true);
  });

  it('draws from Math.random by default', () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(backoffDelay(0)).toBe(250);
    expect(random).toHaveBeenCalledOnce();
    random.mockRestore();
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(3);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(4000);
    }
  });
});
