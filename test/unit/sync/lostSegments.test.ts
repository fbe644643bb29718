import '../setup.ts';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncError } from '../../../src/errors/SyncError.ts';
import type { SegmentRecord } from '../../../src/store/schema.ts';
import { actorSegments } from '../../../src/store/segments.ts';
import { confirmVersion } from '../../../src/sync/confirmVersion.ts';
import { lostSegments } from '../../../src/sync/lostSegments.ts';
import { parseSegmentName, type SegmentName } from '../../../src/sync/segmentName.ts';
import { syncRound, type RoundMemory } from '../../../src/sync/syncRound.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';
import { deviceA, deviceB, now } from './support/builders.ts';
import { localDevice, outboxRow, putRows, type LocalDevice } from './support/localStore.ts';
import { recordingRemote } from './support/remoteFiles.ts';

const hash = '0123abcd';
const named = (deviceId: string, first: number, last: number): SegmentName => ({
  name: `${deviceId}.${first}-${last}.${hash}.json`,
  deviceId,
  first,
  last,
  hash8: hash,
});
const record = (first: number, last: number, name = named(deviceA, first, last).name) =>
  ({ actorId: 'shop', first, last, name, body: '{}', uploaded: true }) satisfies SegmentRecord;
const ranges = (records: readonly { first: number; last: number }[]) =>
  records.map(({ first, last }) => `${first}-${last}`);

describe('lostSegments', () => {
  it('finds what is held here past the watermark and not listed', () => {
    const own = [record(1, 2), record(3, 4), record(5, 6), record(7, 7)];
    const listing = [named(deviceA, 1, 2), named(deviceA, 5, 6), named(deviceB, 3, 4)];
    const { lost, gone } = lostSegments(2, deviceA, listing, own);
    expect(ranges(lost)).toEqual(['3-4', '7-7']);
    expect(gone).toBeUndefined();
  });

  it('leaves folded segments alone: at or below the watermark they may be deleted on purpose', () => {
    const { lost } = lostSegments(4, deviceA, [], [record(1, 2), record(3, 4), record(5, 5)]);
    expect(ranges(lost)).toEqual(['5-5']);
  });

  it('puts back the segment holding watermark + 1 when a fold stopped inside it', () => {
    expect(ranges(lostSegments(3, deviceA, [], [record(1, 5)]).lost)).toEqual(['1-5']);
  });

  it('never replaces a listed segment of ours that has another name over the same seqs', () => {
    const listing = [{ ...named(deviceA, 3, 4), name: `${deviceA}.3-4.ffffffff.json` }];
    expect(lostSegments(2, deviceA, listing, [record(3, 4)]).lost).toEqual([]);
  });

  it('reports a range nobody holds when later messages wait behind it', () => {
    const listing = [named(deviceA, 5, 6)];
    expect(lostSegments(2, deviceA, listing, [record(5, 6), record(7, 8)]).gone).toEqual({
      first: 3,
      last: 4,
    });
    // Nothing after the watermark at all is no gap: there is nothing to stall.
    expect(lostSegments(2, deviceA, [], []).gone).toBeUndefined();
  });
});

describe('a segment the remote lost (DESIGN.md §6b)', () => {
  let server: WebdavServer;
  const passes = () => Promise.resolve();
  // A failed probe ends a round after its uploads: segments on the remote, nothing folded.
  const refuses = () => Promise.reject(new SyncError('remote-unsafe', 'not trusted in this test'));

  beforeAll(async () => {
    server = await startWebdavServer('embedded');
  });
  afterAll(() => server.stop());

  async function accept(local: LocalDevice, actor: string, seqs: number[]): Promise<void> {
    await putRows(
      local.db,
      seqs.map((seq) => outboxRow(local.deviceId, seq, now + seq, actor)),
    );
  }

  const logDir = (actor: string) => join(server.dataDir, actor, 'log');
  const onRemote = async (actor: string) =>
    (await readdir(logDir(actor))).map((name) => parseSegmentName(name)).map((one) => one?.first);

  /**
   * Seqs 1-2 folded into version 1 (not yet confirmed, so their segment is still held here), then
   * 3-4 and 5-6 uploaded in rounds the probe stopped. Returns the segments this device holds.
   */
  async function uploadedPastWatermark(
    local: LocalDevice,
    actor: string,
    memory: RoundMemory,
  ): Promise<SegmentRecord[]> {
    const { remote } = recordingRemote(server.url);
    await accept(local, actor, [1, 2]);
    const first = await syncRound(local.host, remote, actor, memory, passes);
    expect(first.version.devices[local.deviceId]?.seq).toBe(2);
    for (const seqs of [
      [3, 4],
      [5, 6],
    ]) {
      await accept(local, actor, seqs);
      await expect(syncRound(local.host, remote, actor, memory, refuses)).rejects.toThrow(
        /not trusted/,
      );
    }
    const held = await actorSegments(local.db, actor);
    expect(ranges(held)).toEqual(['1-2', '3-4', '5-6']);
    expect(await onRemote(actor)).toEqual([1, 3, 5]);
    return held;
  }

  it('uploads it again, and the messages after it are folded and confirmed', async () => {
    const actor = 'restored';
    const local = await localDevice();
    const memory: RoundMemory = { versions: new Map(), layout: new Set() };
    const [folded, lost] = await uploadedPastWatermark(local, actor, memory);
    // Behind the device's back: the remote comes back from a copy without 3-4, and the folded 1-2
    // was cleaned away. Only 3-4 must go up again.
    for (const gone of [folded, lost]) await rm(join(logDir(actor), gone!.name));

    const { remote, seen } = recordingRemote(server.url);
    const round = await syncRound(local.host, remote, actor, memory, passes);
    expect(round.broken).toBeUndefined();
    expect(seen.filter((line) => line.startsWith('PUT /restored/log/'))).toEqual([
      `PUT /restored/log/${lost!.name}`,
    ]);
    expect(await onRemote(actor)).toEqual([3, 5]);
    expect(round.version.version).toBe(2);
    expect(round.version.devices[local.deviceId]?.seq).toBe(6);

    const confirmed = await confirmVersion(local.host, actor, local.deviceId, round.version);
    expect(confirmed).toMatchObject({ confirmedUpTo: 6, fork: false, pending: 0 });
    const receipts = (await local.db.getAll('receipts')).filter((one) => one.actorId === actor);
    expect(receipts.map((one) => [one.seq, one.status])).toEqual(
      [1, 2, 3, 4, 5, 6].map((seq) => [seq, 'done']),
    );

    // With nothing lost, the round adds no request: one listing of log/ and no PUT.
    const quiet = recordingRemote(server.url);
    await syncRound(local.host, quiet.remote, actor, memory, passes);
    expect(quiet.seen.filter((line) => line.includes('/log/'))).toEqual([
      'PROPFIND /restored/log/',
    ]);
  });

  it('says so in status, rather than stall silently, when the bytes are gone here too', async () => {
    const actor = 'unrecoverable';
    const local = await localDevice();
    const memory: RoundMemory = { versions: new Map(), layout: new Set() };
    const [, lost] = await uploadedPastWatermark(local, actor, memory);
    await rm(join(logDir(actor), lost!.name));
    // The device no longer holds 3-4 either (as after it confirmed them from a version since lost).
    const tx = local.db.transaction(['segments', 'outbox'], 'readwrite');
    await Promise.all([
      tx.objectStore('segments').delete([actor, 3]),
      tx.objectStore('outbox').delete([actor, 3]),
      tx.objectStore('outbox').delete([actor, 4]),
      tx.done,
    ]);

    const { remote, seen } = recordingRemote(server.url);
    const round = await syncRound(local.host, remote, actor, memory, passes);
    expect(round.broken?.code).toBe('remote-lost-segment');
    expect(round.broken?.retryable).toBe(false);
    expect(round.broken?.message).toMatch(
      /lost messages 3-4 of this device from unrecoverable\/log/,
    );
    expect(round.broken?.message).toMatch(/restore the remote, or its log\/ folder/);
    expect(round.version.version).toBe(1);
    expect(seen.filter((line) => line.startsWith('PUT '))).toEqual([]);
  });
});
