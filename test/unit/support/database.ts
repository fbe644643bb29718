import { openDb } from '../../../src/store/openDb.ts';
import type { ActorRecord, OutboxRecord, ReceiptRecord } from '../../../src/store/schema.ts';

/** Every row of the stores a message writes, from the host's own database. */
export interface StoreDump {
  actors: ActorRecord[];
  receipts: ReceiptRecord[];
  outbox: OutboxRecord[];
}

export async function dumpStores(dbName: string): Promise<StoreDump> {
  const db = await openDb(dbName);
  const [actors, receipts, outbox] = await Promise.all([
    db.getAll('actors'),
    db.getAll('receipts'),
    db.getAll('outbox'),
  ]);
  return { actors, receipts, outbox };
}
