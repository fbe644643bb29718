import type { ActorDb } from './openDb.ts';

/** Range of one actor's outbox rows, in seq order. */
export function actorOutboxRange(actorId: string): IDBKeyRange {
  return IDBKeyRange.bound([actorId, 0], [actorId, Infinity]);
}

/** How many accepted messages of an actor wait for the remote. */
export function countPending(db: ActorDb, actorId: string): Promise<number> {
  return db.count('outbox', actorOutboxRange(actorId));
}
