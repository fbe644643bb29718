import '../setup.ts';
import { describe, expect, it } from 'vitest';
import { actorSegments } from '../../../src/store/segments.ts';
import { fixSegments } from '../../../src/sync/fixSegments.ts';
import { decodeSegment } from '../../../src/sync/segmentFile.ts';
import { parseSegmentName } from '../../../src/sync/segmentName.ts';
import type { SegmentRecord } from '../../../src/store/schema.ts';
import { actorId, now } from './support/builders.ts';
import { localDevice, outboxRow, putRows } from './support/localStore.ts';

const ranges = (records: SegmentRecord[]) => records.map(({ first, last }) => [first, last]);

function seqs(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

describe('fixSegments', () => {
  it('does nothing without outbox rows', async () => {
    const { db, deviceId } = await localDevice();
    await fixSegments(db, actorId, deviceId);
    expect(await actorSegments(db, actorId)).toEqual([]);
  });

  it('fixes pending rows as one segment whose body decodes back to the rows', async () => {
    const { db, deviceId } = await localDevice();
    const rows = seqs(1, 3).map((seq) => outboxRow(deviceId, seq, now + seq));
    await putRows(db, rows);
    await fixSegments(db, actorId, deviceId);
    const [record, ...rest] = await actorSegments(db, actorId);
    expect(rest).toEqual([]);
    if (record === undefined) throw new Error('no segment');
    expect(record).toMatchObject({ actorId, first: 1, last: 3, uploaded: false });
    const named = parseSegmentName(record.name);
    if (named === undefined) throw new Error(`bad name ${record.name}`);
    expect(named).toMatchObject({ deviceId, first: 1, last: 3 });
    const decoded = await decodeSegment(actorId, named, record.body);
    // These rows carry no commandsVersion, as rows written by older code: they are logged as 0.
    expect(decoded.messages).toEqual(
      rows.map(({ seq, key, fingerprint, message, at }) => ({
        seq,
        key,
        fingerprint,
        message,
        at,
        commandsVersion: 0,
      })),
    );
  });

  it("logs each row's own commandsVersion, an old row without one as 0", async () => {
    const { db, deviceId } = await localDevice();
    await putRows(db, [
      outboxRow(deviceId, 1, now),
      { ...outboxRow(deviceId, 2, now), commandsVersion: 0 },
      { ...outboxRow(deviceId, 3, now), commandsVersion: 3 },
    ]);
    await fixSegments(db, actorId, deviceId);
    const [record] = await actorSegments(db, actorId);
    const named = record === undefined ? undefined : parseSegmentName(record.name);
    if (record === undefined || named === undefined) throw new Error('no segment');
    const decoded = await decodeSegment(actorId, named, record.body);
    expect(decoded.messages.map((logged) => logged.commandsVersion)).toEqual([0, 0, 3]);
  });

  it('splits more than 500 rows into segments of at most 500, in order', async () => {
    const { db, deviceId } = await localDevice();
    await putRows(
      db,
      seqs(1, 1203).map((seq) => outboxRow(deviceId, seq, now)),
      [],
    );
    await fixSegments(db, actorId, deviceId);
    const records = await actorSegments(db, actorId);
    expect(ranges(records)).toEqual([
      [1, 500],
      [501, 1000],
      [1001, 1203],
    ]);
    for (const record of records) {
      const named = parseSegmentName(record.name);
      if (named === undefined) throw new Error(`bad name ${record.name}`);
      const decoded = await decodeSegment(actorId, named, record.body);
      expect(decoded.messages.map((logged) => logged.seq)).toEqual(seqs(record.first, record.last));
    }
  });

  it('is idempotent: a second call fixes nothing new and keeps the very same bytes', async () => {
    const { db, deviceId } = await localDevice();
    await putRows(
      db,
      seqs(1, 501).map((seq) => outboxRow(deviceId, seq, now)),
      [],
    );
    await fixSegments(db, actorId, deviceId);
    const first = await actorSegments(db, actorId);
    // An upload in between marks a segment; fixing again must not reset it.
    await db.put('segments', { ...first[0]!, uploaded: true });
    await fixSegments(db, actorId, deviceId);
    const second = await actorSegments(db, actorId);
    expect(ranges(second)).toEqual([
      [1, 500],
      [501, 501],
    ]);
    expect(second.map(({ name, body }) => ({ name, body }))).toEqual(
      first.map(({ name, body }) => ({ name, body })),
    );
    expect(second[0]?.uploaded).toBe(true);
  });

  it('fixes rows added later as a new segment starting after the last', async () => {
    const { db, deviceId } = await localDevice();
    await putRows(
      db,
      seqs(1, 3).map((seq) => outboxRow(deviceId, seq, now)),
    );
    await fixSegments(db, actorId, deviceId);
    const before = await actorSegments(db, actorId);
    await putRows(
      db,
      seqs(4, 6).map((seq) => outboxRow(deviceId, seq, now + 10)),
    );
    await fixSegments(db, actorId, deviceId);
    const after = await actorSegments(db, actorId);
    expect(ranges(after)).toEqual([
      [1, 3],
      [4, 6],
    ]);
    expect(after[0]).toEqual(before[0]);
    expect(parseSegmentName(after[1]!.name)).toMatchObject({ deviceId, first: 4, last: 6 });
  });

  it("fixes only this actor's rows", async () => {
    const { db, deviceId } = await localDevice();
    await putRows(db, [
      outboxRow(deviceId, 1, now),
      outboxRow(deviceId, 1, now, 'other'),
      outboxRow(deviceId, 2, now, 'other'),
    ]);
    await fixSegments(db, actorId, deviceId);
    expect(ranges(await actorSegments(db, actorId))).toEqual([[1, 1]]);
    expect(await actorSegments(db, 'other')).toEqual([]);
    await fixSegments(db, 'other', deviceId);
    const other = await actorSegments(db, 'other');
    expect(ranges(other)).toEqual([[1, 2]]);
    const named = parseSegmentName(other[0]!.name);
    if (named === undefined) throw new Error('bad name');
    await expect(decodeSegment('other', named, other[0]!.body)).resolves.toMatchObject({
      actorId: 'other',
    });
  });
});
