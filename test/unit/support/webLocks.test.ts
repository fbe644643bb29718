import { describe, expect, it } from 'vitest';
import { FakeLockManager } from './webLocks.ts';
import { deferred } from './deferred.ts';

describe('FakeLockManager (the navigator.locks stand-in)', () => {
  it('grants one name to one holder at a time, in request order', async () => {
    const locks = new FakeLockManager();
    const order: string[] = [];
    const gate = deferred();
    const first = locks.request('n', async () => {
      order.push('first:start');
      await gate.promise;
      order.push('first:end');
      return 1;
    });
    const second = locks.request('n', { mode: 'exclusive' }, () => {
      order.push('second');
      return 2;
    });
    const third = locks.request('n', () => order.push('third'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(order).toEqual(['first:start']);
    expect(locks.isHeld('n')).toBe(true);
    gate.resolve();
    await expect(Promise.all([first, second, third])).resolves.toEqual([1, 2, 4]);
    expect(order).toEqual(['first:start', 'first:end', 'second', 'third']);
    expect(locks.isHeld('n')).toBe(false);
  });

  it('lets different names run at the same time', async () => {
    const locks = new FakeLockManager();
    const gate = deferred();
    const held = locks.request('a', () => gate.promise);
    await expect(locks.request('b', () => 'b ran')).resolves.toBe('b ran');
    gate.resolve();
    await held;
  });

  it('releases the lock when the callback throws', async () => {
    const locks = new FakeLockManager();
    await expect(locks.request('n', () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(locks.request('n', () => 'next')).resolves.toBe('next');
  });
});
