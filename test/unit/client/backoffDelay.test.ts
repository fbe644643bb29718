import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src/client/backoffDelay.ts';
import { retryAfterMs } from '../../../src/client/retryAfter.ts';

const options = { baseDelayMs: 250, maxDelayMs: 5_000 };

describe('backoffDelay', () => {
  it('draws uniformly below a window that doubles per retry up to the cap', () => {
    const top = (retry: number) => backoffDelay(retry, options, () => 0.999999);
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(top)).toEqual([
      249, 499, 999, 1999, 3999, 4999, 4999, 4999,
    ]);
    expect(backoffDelay(3, options, () => 0)).toBe(0);
    expect(backoffDelay(3, options, () => 0.5)).toBe(1000);
  });

  it('stays in range with the real random source', () => {
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(i % 8, options);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(5_000);
    }
  });
});

describe('retryAfterMs', () => {
  it('reads delay seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Tue, 31 Dec 2024 00:00:05 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    expect(retryAfterMs(undefined)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs('-1')).toBeUndefined();
  });
});
