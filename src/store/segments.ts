import { actorRange } from './actorRange.ts';
import type { ActorDb } from './openDb.ts';
import type { SegmentRecord } from './schema.ts';

/** An actor's fixed segments, in seq order. */
export function actorSegments(db: ActorDb, actorId: string): Promise<SegmentRecord[]> {
  return db.getAll('segments', actorRange(actorId));
}
