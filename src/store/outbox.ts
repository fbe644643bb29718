import type { ActorDb } from './openDb.ts';
import { actorRange } from './actorRange.ts';

/** How many accepted messages of an actor wait for the remote. */
export function countPending(db: ActorDb, actorId: string): Promise<number> {
  return db.count('outbox', actorRange(actorId));
}
