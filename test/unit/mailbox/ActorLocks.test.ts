import { locks } from '../setup.ts';
import { describe, expect, it, vi } from 'vitest';
import { ActorLocks } from '../../../src/mailbox/ActorLocks.ts';
import { deferred, settle } from '../support/deferred.ts';

const lockName = (actorId: string) => `actordav:actor:${actorId}`;
const requestsFor = (actorId: string) =>
  locks.requested.filter((name) => name === lockName(actorId)).length;

describe('ActorLocks', () => {
  it('runs a burst of tasks one at a time, in order, under one lock request', async () => {
    const leases = new ActorLocks(50);
    const order: string[] = [];
    const task = (name: string) => async () => {
      expect(locks.isHeld(lockName('burst'))).toBe(true);
      order.push(`start ${name}`);
      await settle();
      order.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all(
      ['a', 'b', 'c'].map((name) => leases.run('burst', task(name))),
    );
    expect(results).toEqual(['a', 'b', 'c']);
    expect(order).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    // One that comes while the lease is idle runs under the same lock.
    await leases.run('burst', task('d'));
    expect(requestsFor('burst')).toBe(1);
  });

  it('lets the lock go leaseMs after the last task, to whoever else waits for it', async () => {
    const leases = new ActorLocks(20);
    await leases.run('idle', () => Promise.resolve(undefined));
    expect(leases.held('idle')).toBe(true);
    const other = locks.request(lockName('idle'), () => 'other worker');
    await expect(other).resolves.toBe('other worker');
    expect(leases.held('idle')).toBe(false);
    // The next task asks for the lock again.
    await leases.run('idle', () => Promise.resolve(undefined));
    expect(requestsFor('idle')).toBe(3);
  });

  it('keeps separate actors apart: one busy actor does not hold up another', async () => {
    const leases = new ActorLocks(50);
    const gate = deferred();
    const slow = leases.run('slow', () => gate.promise);
    await expect(leases.run('fast', () => Promise.resolve('done'))).resolves.toBe('done');
    gate.resolve();
    await slow;
  });

  it('rejects a failing task alone; the tasks after it still run', async () => {
    const leases = new ActorLocks(50);
    const failing = leases.run('fails', () => Promise.reject(new Error('command broke')));
    const next = leases.run('fails', () => Promise.resolve('next'));
    await expect(failing).rejects.toThrow('command broke');
    await expect(next).resolves.toBe('next');
  });

  it('is not held while it waits for the lock, only once granted', async () => {
    const leases = new ActorLocks(50);
    const other = deferred();
    const outside = locks.request(lockName('waits'), () => other.promise);
    const task = leases.run('waits', () => Promise.resolve('ran'));
    await settle(5);
    expect(leases.held('waits')).toBe(false);
    other.resolve();
    await expect(task).resolves.toBe('ran');
    expect(leases.held('waits')).toBe(true);
    await outside;
  });

  it('fails a task that throws at once alone, like one that rejects', async () => {
    const leases = new ActorLocks(50);
    const throwing = leases.run('throws', () => {
      throw new Error('at once');
    });
    const next = leases.run('throws', () => Promise.resolve('next'));
    await expect(throwing).rejects.toThrow('at once');
    await expect(next).resolves.toBe('next');
  });

  it('fails the tasks, and keeps no lease, where there are no Web Locks at all', async () => {
    const leases = new ActorLocks(50);
    const navigator = globalThis.navigator;
    Object.defineProperty(globalThis, 'navigator', {
      value: {},
      configurable: true,
      writable: true,
    });
    try {
      await expect(leases.run('none', () => Promise.resolve(1))).rejects.toThrow(TypeError);
      expect(leases.held('none')).toBe(false);
    } finally {
      Object.defineProperty(globalThis, 'navigator', {
        value: navigator,
        configurable: true,
        writable: true,
      });
    }
    await expect(leases.run('none', () => Promise.resolve(2))).resolves.toBe(2);
  });

  it('fails the queued tasks when the lock cannot be had, and asks again for the next', async () => {
    const leases = new ActorLocks(50);
    const refusal = new DOMException('no locks here', 'SecurityError');
    const request = vi.spyOn(locks, 'request').mockRejectedValueOnce(refusal);
    const tasks = [
      leases.run('refused', () => Promise.resolve(1)),
      leases.run('refused', () => Promise.resolve(2)),
    ];
    await expect(Promise.all(tasks)).rejects.toBe(refusal);
    request.mockRestore();
    await expect(leases.run('refused', () => Promise.resolve(3))).resolves.toBe(3);
  });
});
