import { actorRange } from '../store/actorRange.ts';
import { commit } from '../store/commit.ts';
import type { ActorDb } from '../store/openDb.ts';
import type { SegmentRecord } from '../store/schema.ts';
import { encodeSegment } from './segmentFile.ts';

const maxMessagesPerSegment = 500;

/**
 * Fixes this device's not-yet-fixed outbox rows into segment ranges, kept in
 * IndexedDB before the first upload so a retry PUTs the very same bytes
 * ([log segments](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#log-segments)). Rows past the last fixed range are the unfixed ones: a
 * segment and its rows are only ever dropped together, once confirmed. Runs
 * under the actor's sync lock, the only writer of segments.
 */
export async function fixSegments(db: ActorDb, actorId: string, deviceId: string): Promise<void> {
  const read = db.transaction(['outbox', 'segments'], 'readonly');
  const [rows, fixed] = await Promise.all([
    read.objectStore('outbox').getAll(actorRange(actorId)),
    read.objectStore('segments').getAll(actorRange(actorId)),
  ]);
  const fixedUpTo = fixed.at(-1)?.last ?? 0;
  const unfixed = rows.filter((row) => row.seq > fixedUpTo);
  if (unfixed.length === 0) return;
  const records: SegmentRecord[] = [];
  for (let start = 0; start < unfixed.length; start += maxMessagesPerSegment) {
    const chunk = unfixed.slice(start, start + maxMessagesPerSegment);
    const first = chunk[0]?.seq ?? 0;
    const last = chunk.at(-1)?.seq ?? 0;
    const messages = chunk.map(({ seq, key, fingerprint, message, at, commandsVersion }) => ({
      seq,
      key,
      fingerprint,
      message,
      at,
      commandsVersion: commandsVersion ?? 0,
    }));
    const { name, body } = await encodeSegment({
      format: 1,
      actorId,
      deviceId,
      first,
      last,
      messages,
    });
    records.push({ actorId, first, last, name, body, uploaded: false });
  }
  const write = db.transaction('segments', 'readwrite', { durability: 'strict' });
  await commit(write, function* (tx) {
    for (const record of records) yield tx.store.put(record);
  });
}
