import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openDb, type ActorDb } from '../../../src/store/openDb.ts';
import { liveReceipt, sweepExpiredReceipts, unexpired } from '../../../src/store/receipts.ts';
import type { ReceiptRecord, ReceiptStatus } from '../../../src/store/schema.ts';
import { uniqueDbName } from '../support/deferred.ts';

const now = 1_700_000_000_000;

function receipt(
  key: string,
  status: ReceiptStatus,
  expiresAt?: number,
  actorId = 'a',
): ReceiptRecord {
  const record: ReceiptRecord = {
    actorId,
    key,
    fingerprint: 'f'.repeat(64),
    seq: 1,
    status,
    answer: { status: 201, headers: [['content-type', 'application/json']], body: '{}' },
    createdAt: now - 1000,
  };
  return expiresAt === undefined ? record : { ...record, expiresAt };
}

async function dbWith(...records: ReceiptRecord[]): Promise<ActorDb> {
  const db = await openDb(uniqueDbName());
  const tx = db.transaction('receipts', 'readwrite');
  await Promise.all([...records.map((record) => tx.store.put(record)), tx.done]);
  return db;
}

describe('unexpired', () => {
  it('keeps a receipt until its expiry and drops it from then on', () => {
    const done = receipt('k', 'done', now);
    expect(unexpired(done, now - 1)).toBe(done);
    expect(unexpired(done, now)).toBeUndefined();
    expect(unexpired(done, now + 1)).toBeUndefined();
  });

  it('never expires a receipt without expiresAt (pending)', () => {
    const pending = receipt('k', 'pending');
    expect(unexpired(pending, Number.MAX_SAFE_INTEGER)).toBe(pending);
  });

  it('passes undefined through', () => {
    expect(unexpired(undefined, now)).toBeUndefined();
  });
});

describe('liveReceipt', () => {
  it('reads the receipt of an actor and key', async () => {
    const db = await dbWith(receipt('k', 'done', now + 1), receipt('k', 'failed', now + 1, 'b'));
    await expect(liveReceipt(db, 'a', 'k', now)).resolves.toMatchObject({
      actorId: 'a',
      status: 'done',
    });
    await expect(liveReceipt(db, 'b', 'k', now)).resolves.toMatchObject({
      actorId: 'b',
      status: 'failed',
    });
  });

  it('is undefined for a missing key, another actor or an expired receipt', async () => {
    const db = await dbWith(receipt('k', 'done', now));
    await expect(liveReceipt(db, 'a', 'other', now - 1)).resolves.toBeUndefined();
    await expect(liveReceipt(db, 'c', 'k', now - 1)).resolves.toBeUndefined();
    await expect(liveReceipt(db, 'a', 'k', now)).resolves.toBeUndefined();
  });
});

describe('sweepExpiredReceipts', () => {
  it('deletes expired final receipts and nothing else', async () => {
    const db = await dbWith(
      receipt('done-expired', 'done', now - 1),
      receipt('failed-expired', 'failed', now),
      receipt('done-live', 'done', now + 1),
      receipt('pending', 'pending'),
      // Not written by the host, but a pending receipt must survive even with an expiry.
      receipt('pending-with-expiry', 'pending', now - 1),
      receipt('done-expired', 'done', now - 1, 'b'),
    );
    await expect(sweepExpiredReceipts(db, now)).resolves.toBe(3);
    const left = (await db.getAll('receipts')).map((row) => `${row.actorId}/${row.key}`);
    expect(left.sort()).toEqual(['a/done-live', 'a/pending', 'a/pending-with-expiry']);
  });

  it('deletes nothing from an empty store and can run twice', async () => {
    const db = await dbWith(receipt('k', 'done', now - 1));
    await expect(sweepExpiredReceipts(db, now)).resolves.toBe(1);
    await expect(sweepExpiredReceipts(db, now)).resolves.toBe(0);
  });
});
