import type { Page } from '@playwright/test';

/** Every store of the `actordav` database, read from the page (same origin, so the same database). */
export type DatabaseDump = Record<string, { key: unknown; value: unknown }[]>;

/** A receipt row as the tests read it back (see src/store/schema.ts). */
export interface ReceiptRow {
  actorId: string;
  key: string;
  fingerprint: string;
  seq: number;
  status: 'pending' | 'done' | 'failed';
  answer: { status: number; headers: [string, string][]; body: string };
  createdAt: number;
  expiresAt?: number;
}

/**
 * Reads every store. The database must already exist: opening it from the page
 * first would create an empty version 1 that the worker could never upgrade,
 * so a missing database aborts the open and rejects instead.
 */
export function dumpDatabase(page: Page): Promise<DatabaseDump> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('actordav');
      open.onupgradeneeded = () => open.transaction?.abort();
      open.onsuccess = () => resolve(open.result);
      open.onerror = () =>
        reject(new Error(`no actordav database yet: ${String(open.error?.message)}`));
    });
    const dump: Record<string, { key: unknown; value: unknown }[]> = {};
    for (const name of Array.from(db.objectStoreNames)) {
      dump[name] = await new Promise((resolve, reject) => {
        const rows: { key: unknown; value: unknown }[] = [];
        const cursor = db.transaction(name).objectStore(name).openCursor();
        cursor.onsuccess = () => {
          const current = cursor.result;
          if (current === null) return resolve(rows);
          rows.push({ key: current.key, value: current.value });
          current.continue();
        };
        cursor.onerror = () => reject(cursor.error ?? new Error('cursor failed'));
      });
    }
    db.close();
    return dump;
  });
}

/** The receipts of one actor in a dump, by key. */
export function receiptsOf(dump: DatabaseDump, actorId: string): Map<string, ReceiptRow> {
  const rows = (dump['receipts'] ?? []).map((row) => row.value as ReceiptRow);
  return new Map(rows.filter((row) => row.actorId === actorId).map((row) => [row.key, row]));
}

/** Writes one receipt straight into the store (to set up states the API cannot reach, e.g. a pending one). */
export function putReceipt(page: Page, receipt: Record<string, unknown>): Promise<void> {
  return page.evaluate(async (value) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('actordav');
      open.onupgradeneeded = () => open.transaction?.abort();
      open.onsuccess = () => resolve(open.result);
      open.onerror = () =>
        reject(new Error(`no actordav database yet: ${String(open.error?.message)}`));
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('receipts', 'readwrite');
      tx.objectStore('receipts').put(value);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error ?? new Error('transaction failed'));
    });
    db.close();
  }, receipt);
}
