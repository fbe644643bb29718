/** What to fill: `perActor` receipts for each of `actors` actors, cloned from one real receipt. */
export interface FillOrder {
  dbName: string;
  seedActor: string;
  seedKey: string;
  actors: number;
  perActor: number;
}

const batch = 2000;

function request<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function done(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onabort = () => reject(transaction.error ?? new Error('transaction aborted'));
  });
}

/**
 * Stores receipts straight into a host's database, shaped like the one real
 * receipt the host wrote for the seed (a lookup benchmark needs 100,000 of
 * them; sending that many messages would take minutes). Actors are
 * `r{a}`, keys `k{j}`. The host must have opened the database first.
 */
export async function fillReceipts(order: FillOrder): Promise<{ ms: number; stored: number }> {
  const start = performance.now();
  const opening = indexedDB.open(order.dbName);
  // Opening a missing database would create an empty one the host could never upgrade.
  opening.onupgradeneeded = () => opening.transaction?.abort();
  const db = await request(opening);
  try {
    const read = db.transaction('receipts').objectStore('receipts');
    const seed = (await request(read.get([order.seedActor, order.seedKey]))) as
      Record<string, unknown> | undefined;
    if (seed === undefined) throw new Error(`no seed receipt ${order.seedActor}/${order.seedKey}`);
    const total = order.actors * order.perActor;
    for (let start = 0; start < total; start += batch) {
      const write = db.transaction('receipts', 'readwrite');
      const store = write.objectStore('receipts');
      for (let n = start; n < Math.min(total, start + batch); n++) {
        const actorId = `r${n % order.actors}`;
        const key = `k${Math.floor(n / order.actors)}`;
        store.put({ ...seed, actorId, key, seq: n + 1 });
      }
      await done(write);
    }
    return { ms: performance.now() - start, stored: total };
  } finally {
    db.close();
  }
}
