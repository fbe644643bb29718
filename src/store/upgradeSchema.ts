import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import { schemaVersion, type ActorDavSchema } from './schema.ts';

/** Walks the schema forward from `oldVersion`, one step per version. */
export function upgradeSchema(
  db: IDBPDatabase<ActorDavSchema>,
  oldVersion: number,
  transaction: IDBPTransaction<ActorDavSchema, StoreNames<ActorDavSchema>[], 'versionchange'>,
): void {
  if (oldVersion < 1) {
    db.createObjectStore('actors', { keyPath: 'id' });
    const receipts = db.createObjectStore('receipts', { keyPath: ['actorId', 'key'] });
    receipts.createIndex('by-expiry', 'expiresAt');
    db.createObjectStore('outbox', { keyPath: ['actorId', 'seq'] });
    db.createObjectStore('meta');
  }
  if (oldVersion < 2) {
    db.createObjectStore('segments', { keyPath: ['actorId', 'first'] });
  }
  void transaction.objectStore('meta').put(schemaVersion, 'schemaVersion');
}
