import type { ActorDb } from './openDb.ts';
import type { ReceiptRecord } from './schema.ts';

/** The receipt, unless it is a final one that has outlived `receiptTtlMs` (it then counts as gone). */
export function unexpired(
  receipt: ReceiptRecord | undefined,
  now: number,
): ReceiptRecord | undefined {
  return receipt?.expiresAt !== undefined && receipt.expiresAt <= now ? undefined : receipt;
}

/** The receipt for a key, unless there is none or it has expired. */
export async function liveReceipt(
  db: ActorDb,
  actorId: string,
  key: string,
  now: number,
): Promise<ReceiptRecord | undefined> {
  return unexpired(await db.get('receipts', [actorId, key]), now);
}

/** Deletes every expired receipt; pending ones have no expiry and are never touched. */
export async function sweepExpiredReceipts(db: ActorDb, now: number): Promise<number> {
  const tx = db.transaction('receipts', 'readwrite');
  let swept = 0;
  let cursor = await tx.store.index('by-expiry').openCursor(IDBKeyRange.upperBound(now));
  while (cursor) {
    if (cursor.value.status !== 'pending') {
      await cursor.delete();
      swept++;
    }
    cursor = await cursor.continue();
  }
  await tx.done;
  return swept;
}
