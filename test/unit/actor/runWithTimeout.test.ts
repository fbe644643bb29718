import { afterEach, describe, expect, it, vi } from 'vitest';
import { runWithTimeout } from '../../../src/actor/runWithTimeout.ts';
import { expectRejectCode } from '../support/errors.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('runWithTimeout', () => {
  it('gives the value of a synchronous or an asynchronous turn', async () => {
    await expect(runWithTimeout(() => 1, 100)).resolves.toBe(1);
    await expect(runWithTimeout(() => Promise.resolve('two'), 100)).resolves.toBe('two');
  });

  it('passes on what the turn threw, also when it threw synchronously', async () => {
    const error = new Error('boom');
    const thrown = runWithTimeout(() => {
      throw error;
    }, 100);
    await expect(thrown).rejects.toBe(error);
    await expect(runWithTimeout(() => Promise.reject(error), 100)).rejects.toBe(error);
  });

  it('fails a turn that runs past the timeout with turn-timeout (500)', async () => {
    vi.useFakeTimers();
    let settled = false;
    const turn = runWithTimeout(() => new Promise<never>(() => {}), 1000);
    const outcome = turn.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    void outcome.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toMatchObject({ code: 'turn-timeout', status: 500 });
  });

  it('really times out with real timers', async () => {
    await expectRejectCode(
      runWithTimeout(() => new Promise<never>(() => {}), 10),
      'turn-timeout',
    );
  });

  it('leaves no timer behind once the turn has finished', async () => {
    vi.useFakeTimers();
    await runWithTimeout(() => 'done', 60_000);
    await runWithTimeout(() => Promise.reject(new Error('x')), 60_000).catch(() => undefined);
    expect(vi.getTimerCount()).toBe(0);
  });
});
