import { describe, expect, it } from 'vitest';
import type { SegmentName } from '../../../src/sync/segmentName.ts';
import { selectRuns } from '../../../src/sync/selectRuns.ts';
import { genesisVersion, type VersionFile } from '../../../src/sync/versionFile.ts';
import { deviceA, deviceB, deviceC, deviceEntry, version } from './support/builders.ts';

function named(deviceId: string, first: number, last: number, hash8 = '0000000a'): SegmentName {
  return { name: `${deviceId}.${first}-${last}.${hash8}.json`, deviceId, first, last, hash8 };
}

const ranges = (runs: SegmentName[]) =>
  runs.map(({ deviceId, first, last }) => `${deviceId.slice(0, 1)}:${first}-${last}`);

/** The selected ranges, failing the test when any device is conflicted. */
function selected(head: VersionFile, listing: readonly SegmentName[]): string[] {
  const { runs, conflicted } = selectRuns(head, listing);
  expect(conflicted).toEqual([]);
  return ranges(runs);
}

describe('selectRuns', () => {
  it('starts an unknown device at seq 1 and follows its chain of several segments', () => {
    const listing = [named(deviceA, 4, 9), named(deviceA, 1, 1), named(deviceA, 2, 3)];
    expect(selected(genesisVersion(), listing)).toEqual(['a:1-1', 'a:2-3', 'a:4-9']);
  });

  it('does not select an unknown device whose first segment does not start at 1', () => {
    expect(selectRuns(genesisVersion(), [named(deviceA, 2, 3), named(deviceA, 4, 4)])).toEqual({
      runs: [],
      conflicted: [],
    });
  });

  it("starts right after the head's watermark and skips segments already folded", () => {
    const head = version(5, { devices: { [deviceA]: deviceEntry({ seq: 3 }) } });
    const listing = [named(deviceA, 7, 7), named(deviceA, 1, 3), named(deviceA, 4, 6)];
    expect(selected(head, listing)).toEqual(['a:4-6', 'a:7-7']);
  });

  it('starts inside a segment when a stopped fold left the watermark there, then follows the chain', () => {
    const head = version(5, {
      devices: { [deviceA]: deviceEntry({ seq: 2 }), [deviceB]: deviceEntry({ seq: 4 }) },
    });
    const listing = [
      named(deviceA, 1, 3),
      named(deviceA, 4, 4),
      named(deviceB, 1, 5),
      named(deviceB, 7, 7),
    ];
    expect(selected(head, listing)).toEqual(['a:1-3', 'a:4-4', 'b:1-5']);
  });

  it('selects nothing for a device with nothing after its watermark', () => {
    const head = version(5, { devices: { [deviceA]: deviceEntry({ seq: 6 }) } });
    expect(selectRuns(head, [named(deviceA, 1, 3), named(deviceA, 4, 6)])).toEqual({
      runs: [],
      conflicted: [],
    });
  });

  it('stops a run at a gap, never jumping it, while other devices still run', () => {
    const head = version(2, { devices: { [deviceB]: deviceEntry({ seq: 2 }) } });
    const listing = [
      named(deviceA, 1, 2),
      named(deviceA, 5, 6),
      named(deviceA, 7, 9),
      named(deviceB, 3, 3),
      named(deviceB, 4, 8),
      named(deviceC, 1, 1),
    ];
    expect(selected(head, listing)).toEqual(['a:1-2', 'b:3-3', 'b:4-8', 'c:1-1']);
  });

  it('selects none of a device with two different segments for the same start: a conflict', () => {
    // Two installs sharing an id: the same range, different content (and so a different hash).
    const first = named(deviceA, 1, 2, '1111111a');
    const second = named(deviceA, 1, 2, '2222222b');
    const others = [named(deviceB, 1, 1), named(deviceC, 1, 2)];
    for (const listing of [
      [first, second, named(deviceA, 3, 3), ...others],
      [second, ...others, named(deviceA, 3, 3), first],
    ]) {
      const { runs, conflicted } = selectRuns(genesisVersion(), listing);
      expect(conflicted).toEqual([deviceA]);
      // The other devices still fold; nothing of A does, not even its unambiguous 3-3.
      expect(ranges(runs)).toEqual(['b:1-1', 'c:1-2']);
    }
  });

  it('flags segments with the same start but different ends as a conflict', () => {
    const listing = [named(deviceA, 1, 2, '1111111a'), named(deviceA, 1, 4, '2222222b')];
    expect(selectRuns(genesisVersion(), listing)).toEqual({ runs: [], conflicted: [deviceA] });
  });

  it('flags a partial overlap (1-3 against 3-5) as a conflict', () => {
    const listing = [named(deviceA, 3, 5, '2222222b'), named(deviceB, 1, 1), named(deviceA, 1, 3)];
    const { runs, conflicted } = selectRuns(genesisVersion(), listing);
    expect(conflicted).toEqual([deviceA]);
    expect(ranges(runs)).toEqual(['b:1-1']);
  });

  it('flags a segment nested inside another, even far from the first segment', () => {
    const listing = [
      named(deviceB, 1, 10),
      named(deviceB, 11, 20),
      named(deviceB, 21, 21),
      named(deviceB, 14, 15, '2222222b'),
    ];
    expect(selectRuns(genesisVersion(), listing)).toEqual({ runs: [], conflicted: [deviceB] });
  });

  it('flags overlaps below the watermark too, and lists every conflicted device in id order', () => {
    const head = version(3, {
      devices: {
        [deviceA]: deviceEntry({ seq: 5 }),
        [deviceB]: deviceEntry({ seq: 1 }),
        [deviceC]: deviceEntry({ seq: 5 }),
      },
    });
    const listing = [
      named(deviceC, 1, 3),
      named(deviceC, 2, 2, '2222222b'),
      named(deviceC, 6, 6),
      named(deviceA, 1, 5),
      named(deviceA, 6, 6),
      named(deviceB, 1, 1),
      named(deviceB, 2, 2),
      named(deviceA, 5, 5, '2222222b'),
    ];
    const { runs, conflicted } = selectRuns(head, listing);
    expect(conflicted).toEqual([deviceA, deviceC]);
    expect(ranges(runs)).toEqual(['b:2-2']);
  });

  it('is no conflict when ranges only touch: 1-3 then 4-5', () => {
    const listing = [named(deviceA, 4, 5, '2222222b'), named(deviceA, 1, 3, '1111111a')];
    expect(selected(genesisVersion(), listing)).toEqual(['a:1-3', 'a:4-5']);
  });

  it('orders the runs by device id whatever the listing order', () => {
    const listing = [named(deviceC, 1, 1), named(deviceA, 1, 1), named(deviceB, 1, 1)];
    expect(selected(genesisVersion(), listing)).toEqual(['a:1-1', 'b:1-1', 'c:1-1']);
  });

  it('returns nothing for an empty listing', () => {
    expect(selectRuns(genesisVersion(), [])).toEqual({ runs: [], conflicted: [] });
  });
});
