import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openDb } from '../../../src/store/openDb.ts';
import { countPending } from '../../../src/store/outbox.ts';
import type { OutboxRecord } from '../../../src/store/schema.ts';
import { uniqueDbName } from '../support/deferred.ts';

const row = (actorId: string, seq: number): OutboxRecord => ({
  actorId,
  seq,
  key: `k${seq}`,
  fingerprint: 'f'.repeat(64),
  message: { type: '@task', payload: {} },
  at: 0,
});

describe('countPending', () => {
  it('counts one actor outbox rows only', async () => {
    const db = await openDb(uniqueDbName());
    const tx = db.transaction('outbox', 'readwrite');
    const rows = [
      row('a', 1),
      row('a', 2),
      row('a', 1000),
      row('b', 1),
      row('a-', 1),
      row('aa', 3),
      row('', 1),
    ];
    await Promise.all([...rows.map((r) => tx.store.put(r)), tx.done]);
    await expect(countPending(db, 'a')).resolves.toBe(3);
    await expect(countPending(db, 'b')).resolves.toBe(1);
    await expect(countPending(db, 'a-')).resolves.toBe(1);
    await expect(countPending(db, 'nobody')).resolves.toBe(0);
  });
});
