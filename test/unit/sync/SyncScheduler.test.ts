import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SyncScheduler, type AttemptOutcome } from '../../../src/sync/SyncScheduler.ts';

/** A scheduler whose attempts answer from `outcomes` (the last repeats) and take `attemptMs` each. */
function scheduler(outcomes: AttemptOutcome[], { attemptMs = 10, delayMs = 1_000 } = {}) {
  const attempts: number[] = [];
  let streaks = 0;
  const schedule = new SyncScheduler({
    attempt: async () => {
      attempts.push(Date.now());
      await new Promise((resolve) => setTimeout(resolve, attemptMs));
      return outcomes[Math.min(attempts.length - 1, outcomes.length - 1)] ?? 'synced';
    },
    onStreak: () => (streaks += 1),
    delay: () => delayMs,
  });
  return { schedule, attempts, streaks: () => streaks };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SyncScheduler', () => {
  it('folds the triggers that arrive during an attempt into one more attempt', async () => {
    const { schedule, attempts } = scheduler(['synced']);
    const first = schedule.request('a', 'message');
    for (let i = 0; i < 5; i++) void schedule.request('a', 'message');
    await vi.advanceTimersByTimeAsync(100);
    await first;
    expect(attempts).toHaveLength(2);
    expect(schedule.busy('a')).toBe(false);
  });

  it('runs actors apart', async () => {
    const { schedule, attempts } = scheduler(['synced']);
    void schedule.request('a', 'message');
    void schedule.request('b', 'message');
    await vi.advanceTimersByTimeAsync(100);
    expect(attempts).toHaveLength(2);
  });

  it('lets no message, Background Sync or periodic nudge cut a backoff short', async () => {
    const { schedule, attempts } = scheduler(['retry'], { delayMs: 1_000 });
    void schedule.request('a', 'message');
    // A trigger every 10 ms for 10 s, as a busy app (or Chromium's Background Sync) would send.
    for (let t = 0; t < 10_000; t += 10) {
      void schedule.request('a', (['message', 'background', 'nudge', 'start'] as const)[t % 4]!);
      await vi.advanceTimersByTimeAsync(10);
    }
    // One attempt per backoff step (1 s + 10 ms each), nothing more.
    expect(attempts.length).toBeGreaterThanOrEqual(9);
    expect(attempts.length).toBeLessThanOrEqual(10);
  });

  it('lets an urgent trigger (online, syncNow) start one attempt at once, at most once per 5 s', async () => {
    const { schedule, attempts } = scheduler(['retry'], { delayMs: 60_000 });
    void schedule.request('a', 'message');
    await vi.advanceTimersByTimeAsync(100);
    expect(attempts).toHaveLength(1);
    void schedule.request('a', 'urgent');
    await vi.advanceTimersByTimeAsync(100);
    expect(attempts).toHaveLength(2);
    // Within 5 s of that one, further urgent triggers wait.
    for (let i = 0; i < 40; i++) {
      void schedule.request('a', 'urgent');
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(attempts).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_000);
    void schedule.request('a', 'urgent');
    await vi.advanceTimersByTimeAsync(100);
    expect(attempts).toHaveLength(3);
  });

  it('tells of a failure streak once, and again after a success', async () => {
    const { schedule, streaks } = scheduler([
      'retry',
      'retry',
      'retry',
      'synced',
      'retry',
      'synced',
    ]);
    void schedule.request('a', 'message');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(streaks()).toBe(1);
    void schedule.request('a', 'message');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(streaks()).toBe(2);
  });

  it('resolves a request when the actor rests, the backoff not included', async () => {
    const { schedule } = scheduler(['retry', 'synced'], { delayMs: 60_000 });
    let rested = false;
    void schedule.request('a', 'message').then(() => (rested = true));
    await vi.advanceTimersByTimeAsync(50);
    expect(rested).toBe(true);
    expect(schedule.busy('a')).toBe(true);
    let later = false;
    void schedule.request('a', 'message').then(() => (later = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(later).toBe(true);
    await vi.advanceTimersByTimeAsync(60_100);
    expect(schedule.busy('a')).toBe(false);
  });

  it('stops on a failure no backoff fixes, and a later trigger tries again at once', async () => {
    const { schedule, attempts } = scheduler(['stop']);
    await Promise.all([schedule.request('a', 'message'), vi.advanceTimersByTimeAsync(100)]);
    expect(schedule.busy('a')).toBe(false);
    void schedule.request('a', 'message');
    await vi.advanceTimersByTimeAsync(100);
    expect(attempts).toHaveLength(2);
  });

  it('tries again at once when the page came online during an attempt that then failed', async () => {
    const { schedule, attempts } = scheduler(['retry', 'synced'], {
      attemptMs: 100,
      delayMs: 60_000,
    });
    void schedule.request('a', 'message');
    await vi.advanceTimersByTimeAsync(50);
    const online = schedule.request('a', 'urgent');
    await vi.advanceTimersByTimeAsync(300);
    expect(attempts).toHaveLength(2);
    await online;
    expect(schedule.busy('a')).toBe(false);
  });
});
