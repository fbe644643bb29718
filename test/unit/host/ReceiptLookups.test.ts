import { describe, expect, it, vi } from 'vitest';
import { ReceiptLookups } from '../../../src/host/ReceiptLookups.ts';
import type { ActorLocks } from '../../../src/mailbox/ActorLocks.ts';
import type { ReceiptRecord } from '../../../src/store/schema.ts';
import type { SharedTransactions } from '../../../src/store/SharedTransactions.ts';
import { deferred, settle } from '../support/deferred.ts';

const receipt = { actorId: 'a', key: 'k', fingerprint: 'f', seq: 1 } as ReceiptRecord;

/** Lookups on stand-ins: `held` says whether the lock is held, `read` answers each lookup's read. */
function lookups(
  held: boolean | (() => boolean),
  read: (call: number) => Promise<ReceiptRecord | undefined>,
) {
  let calls = 0;
  const run = vi.fn(() => read(++calls));
  const reads = { run } as unknown as SharedTransactions<'readonly'>;
  const locks = { held: typeof held === 'function' ? held : () => held } as unknown as ActorLocks;
  return { run, lookups: new ReceiptLookups(reads, locks) };
}

describe('ReceiptLookups', () => {
  it('looks the key up when this worker does not lease the actor', async () => {
    const { lookups: subject, run } = lookups(false, () => Promise.resolve(receipt));
    await expect(subject.arrive('a').lookUp('k', (stored) => stored)).resolves.toBe(receipt);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('skips the lookup while the actor is leased and no earlier request still looks up', async () => {
    const { lookups: subject, run } = lookups(true, () => Promise.resolve(receipt));
    await expect(subject.arrive('a').lookUp('k', (stored) => stored)).resolves.toBeUndefined();
    expect(run).not.toHaveBeenCalled();
  });

  it('makes a later request wait its turn behind an earlier lookup, even when leased', async () => {
    let leased = false;
    const first = deferred();
    const { lookups: subject, run } = lookups(
      () => leased,
      async (call) => {
        if (call === 1) await first.promise;
        return undefined;
      },
    );
    const order: string[] = [];
    const earlier = subject.arrive('a').lookUp('k1', () => order.push('k1'));
    leased = true;
    const later = subject.arrive('a').lookUp('k2', () => order.push('k2'));
    first.resolve();
    await Promise.all([earlier, later]);
    expect(order).toEqual(['k1', 'k2']);
    expect(run).toHaveBeenCalledTimes(2);
    // Once nothing is open, a leased actor skips again.
    await subject.arrive('a').lookUp('k3', () => order.push('k3'));
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('keeps the order requests arrived in, not the order they finish reading their bodies', async () => {
    const { lookups: subject } = lookups(false, () => Promise.resolve(undefined));
    const order: string[] = [];
    // The first still reads a big body when the second, small one is ready to look up.
    const first = subject.arrive('a');
    const second = subject.arrive('a');
    const later = second.lookUp('k2', () => order.push('k2'));
    await settle(5);
    expect(order).toEqual([]);
    await first.lookUp('k1', () => order.push('k1'));
    await later;
    expect(order).toEqual(['k1', 'k2']);
  });

  it('lets later requests go when an earlier one is refused before the mailbox', async () => {
    const { lookups: subject } = lookups(true, () => Promise.resolve(undefined));
    const refused = subject.arrive('a');
    const order: string[] = [];
    const later = subject.arrive('a').lookUp('k2', () => order.push('k2'));
    refused.leave();
    await later;
    expect(order).toEqual(['k2']);
    // Nobody is in line any more: a leased actor skips the lookup again, at once.
    expect(await subject.arrive('a').lookUp('k3', (stored) => stored)).toBeUndefined();
  });

  it('keeps the order when a read in the middle fails', async () => {
    const slow = deferred();
    const { lookups: subject } = lookups(false, async (call) => {
      if (call === 1) await slow.promise;
      if (call === 2) throw new Error('read failed');
      return undefined;
    });
    const order: string[] = [];
    const first = subject.arrive('a').lookUp('k1', () => order.push('k1'));
    const failing = subject.arrive('a').lookUp('k2', () => order.push('k2'));
    const third = subject.arrive('a').lookUp('k3', () => order.push('k3'));
    const failed = expect(failing).rejects.toThrow('read failed');
    await settle(5);
    slow.resolve();
    await Promise.all([first, failed, third]);
    expect(order).toEqual(['k1', 'k3']);
  });
});
