import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { issueAll } from '../../../src/store/commit.ts';
import { openDb } from '../../../src/store/openDb.ts';
import type { ActorRecord } from '../../../src/store/schema.ts';
import { SharedTransactions } from '../../../src/store/SharedTransactions.ts';
import { uniqueDbName } from '../support/deferred.ts';

const actor = (id: string, state: Record<string, unknown> = {}): ActorRecord => ({
  id,
  state: state,
  etag: '"e"',
  confirmedState: {},
  version: 0,
  seq: 1,
});

// Every transaction over the message stores, however idb opens it.
const transactionSpy = vi.spyOn(IDBDatabase.prototype, 'transaction');
const opened = () =>
  transactionSpy.mock.calls.filter(([stores]) => [stores].flat().includes('actors')).length;

function shared() {
  const name = uniqueDbName();
  const db = () => openDb(name);
  transactionSpy.mockClear();
  return {
    db,
    reads: new SharedTransactions(db, 'readonly'),
    writes: new SharedTransactions(db, 'readwrite', { durability: 'strict' }),
  };
}

describe('SharedTransactions', () => {
  it('puts the jobs that arrive while a transaction is in flight into one next transaction', async () => {
    const { writes, db } = shared();
    const ids = ['a', 'b', 'c', 'd', 'e'];
    await Promise.all(ids.map((id) => writes.run((tx) => tx.objectStore('actors').put(actor(id)))));
    // The first job opens a transaction alone; the four that came meanwhile share the next.
    expect(opened()).toBe(2);
    expect((await (await db()).getAllKeys('actors')).sort()).toEqual(ids);
  });

  it('settles a write only once its transaction has completed', async () => {
    const { writes, db } = shared();
    await writes.run((tx) => tx.objectStore('actors').put(actor('a', { n: 1 })));
    // A fresh transaction sees the write the moment the job resolves.
    expect((await (await db()).get('actors', 'a'))?.state).toEqual({ n: 1 });
  });

  it('does not settle a write whose shared transaction aborts after the write itself succeeded', async () => {
    const { writes, db } = shared();
    const blocker = writes.run((tx) => tx.objectStore('actors').put(actor('first')));
    const good = writes.run((tx) => tx.objectStore('actors').put(actor('good')));
    const aborting = writes.run(async (tx) => {
      await tx.objectStore('actors').put(actor('aborted'));
      tx.abort();
    });
    const [, , last] = await Promise.allSettled([blocker, good, aborting]);
    expect(last.status).toBe('rejected');
    // `good` resolved only once a transaction holding it completed: it is there.
    expect((await (await db()).getAllKeys('actors')).sort()).toEqual(['first', 'good']);
  });

  it('gives each reader what it read, in one transaction when they arrive together', async () => {
    const { writes, reads } = shared();
    await writes.run((tx) =>
      Promise.all(['a', 'b'].map((id) => tx.objectStore('actors').put(actor(id, { id })))),
    );
    transactionSpy.mockClear();
    const first = reads.run((tx) => tx.objectStore('actors').get('a'));
    const rest = ['b', 'missing'].map((id) => reads.run((tx) => tx.objectStore('actors').get(id)));
    const [a, b, missing] = await Promise.all([first, ...rest]);
    expect([a?.state, b?.state, missing]).toEqual([{ id: 'a' }, { id: 'b' }, undefined]);
    expect(opened()).toBe(2);
  });

  it('runs the jobs of a failed shared transaction again alone: only the bad one fails', async () => {
    const { writes, db } = shared();
    const blocker = writes.run((tx) => tx.objectStore('actors').put(actor('first')));
    const good = ['a', 'b'].map((id) =>
      writes.run((tx) => tx.objectStore('actors').put(actor(id))),
    );
    const bad = writes.run((tx) =>
      // A function cannot be cloned: the put throws a DataCloneError at once.
      tx.objectStore('actors').put({ ...actor('bad'), state: { f: () => 0 } }),
    );
    const [, ...settled] = await Promise.allSettled([blocker, ...good, bad]);
    expect(settled.map((one) => one.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    await expect(bad).rejects.toMatchObject({ name: 'DataCloneError' });
    // first alone, then a, b and bad together (aborted), then each of the three alone.
    expect(opened()).toBe(5);
    expect((await (await db()).getAllKeys('actors')).sort()).toEqual(['a', 'b', 'first']);
  });

  it('leaves nothing of a job whose later write fails after earlier ones were issued', async () => {
    const { writes, db } = shared();
    const job = writes.run((tx) =>
      issueAll(function* () {
        yield tx.objectStore('actors').put(actor('kept-out'));
        yield tx.objectStore('actors').put({ ...actor('bad'), state: { f: () => 0 } });
      }),
    );
    await expect(job).rejects.toMatchObject({ name: 'DataCloneError' });
    expect(await (await db()).getAllKeys('actors')).toEqual([]);
  });

  it('refuses every job when the database cannot be opened, and keeps working after', async () => {
    let fail = true;
    const name = uniqueDbName();
    const writes = new SharedTransactions(
      () => (fail ? Promise.reject(new Error('blocked')) : openDb(name)),
      'readwrite',
    );
    await expect(
      Promise.all([
        writes.run((tx) => tx.objectStore('actors').put(actor('a'))),
        writes.run((tx) => tx.objectStore('actors').put(actor('b'))),
      ]),
    ).rejects.toThrow('blocked');
    fail = false;
    await writes.run((tx) => tx.objectStore('actors').put(actor('c')));
    expect(await (await openDb(name)).getAllKeys('actors')).toEqual(['c']);
  });
});
