import type { Page } from '@playwright/test';

/** Every store of the `actordav` database, read from the page (same origin, so the same database). */
export type DatabaseDump = Record<string, { key: unknown; value: unknown }[]>;

export function dumpDatabase(page: Page): Promise<DatabaseDump> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('actordav');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
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
        cursor.onerror = () => reject(cursor.error);
      });
    }
    db.close();
    return dump;
  });
}

/** Writes one receipt straight into the store (to set up states the API cannot reach, e.g. a pending one). */
export function putReceipt(page: Page, receipt: Record<string, unknown>): Promise<void> {
  return page.evaluate(async (value) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('actordav');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('receipts', 'readwrite');
      tx.objectStore('receipts').put(value);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, receipt);
}
