import type { SegmentName } from './segmentName.ts';
import type { VersionFile } from './versionFile.ts';

/**
 * For each device, the gap-free run of listed segments right after its
 * watermark in the head version. A missing range stops that device's run:
 * its later messages wait until the gap is filled, never jump it.
 */
export function selectRuns(head: VersionFile, listing: readonly SegmentName[]): SegmentName[] {
  const byDevice = new Map<string, Map<number, SegmentName>>();
  for (const segment of listing) {
    const starts = byDevice.get(segment.deviceId) ?? new Map<number, SegmentName>();
    // Two segments for one start can only come from a device-id collision; fold neither's range twice.
    if (!starts.has(segment.first)) starts.set(segment.first, segment);
    byDevice.set(segment.deviceId, starts);
  }
  const runs: SegmentName[] = [];
  for (const [deviceId, starts] of [...byDevice].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let next = (head.devices[deviceId]?.seq ?? 0) + 1;
    for (let segment = starts.get(next); segment !== undefined; segment = starts.get(next)) {
      runs.push(segment);
      next = segment.last + 1;
    }
  }
  return runs;
}
