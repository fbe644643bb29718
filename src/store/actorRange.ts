/** The rows of one actor in a store keyed `[actorId, seq]` (outbox, segments), in seq order. */
export function actorRange(actorId: string): IDBKeyRange {
  return IDBKeyRange.bound([actorId, 0], [actorId, Infinity]);
}
