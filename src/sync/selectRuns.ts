import type { SegmentName } from './segmentName.ts';
import type { VersionFile } from './versionFile.ts';

/** What to fold, and the devices whose listed segments overlap. */
export interface SelectedRuns {
  /** Each device's gap-free run after its watermark, devices in id order. */
  runs: SegmentName[];
  /**
   * Devices with two different segments over one seq: two installs share an
   * id ([folding](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#folding)). Nothing more of theirs is folded; their answers
   * could be mistaken for each other's.
   */
  conflicted: string[];
}

/**
 * For each device, the gap-free run of listed segments right after its
 * watermark in the head version. A missing range stops that device's run:
 * its later messages wait until the gap is filled, never jump it. The run
 * may start inside a segment: a fold that stopped at a message it could not
 * answer ([folding](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#folding)) leaves the watermark mid-segment.
 */
export function selectRuns(head: VersionFile, listing: readonly SegmentName[]): SelectedRuns {
  const byDevice = new Map<string, SegmentName[]>();
  for (const segment of listing) {
    const segments = byDevice.get(segment.deviceId);
    if (segments === undefined) byDevice.set(segment.deviceId, [segment]);
    else segments.push(segment);
  }
  const runs: SegmentName[] = [];
  const conflicted: string[] = [];
  for (const [deviceId, segments] of [...byDevice].sort(([a], [b]) => (a < b ? -1 : 1))) {
    segments.sort((a, b) => a.first - b.first);
    if (segments.some((segment, i) => i > 0 && segment.first <= (segments[i - 1]?.last ?? 0))) {
      conflicted.push(deviceId);
      continue;
    }
    let next = (head.devices[deviceId]?.seq ?? 0) + 1;
    for (const segment of segments) {
      if (segment.last < next) continue; // folded already
      if (segment.first > next) break; // a gap
      runs.push(segment);
      next = segment.last + 1;
    }
  }
  return { runs, conflicted };
}
