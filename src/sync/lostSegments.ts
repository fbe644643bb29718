import type { SegmentRecord } from '../store/schema.ts';
import type { SegmentName } from './segmentName.ts';

/** What the listing of `log/` says about this device's own run ([a remote that loses a segment](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md#a-remote-that-loses-a-segment)). */
export interface OwnRun {
  /** Segments held here, past the watermark, that `log/` lacks: to be uploaded again. */
  lost: SegmentRecord[];
  /**
   * The first range past the watermark that neither `log/` nor this device
   * holds, when later messages wait behind it: they cannot be folded until
   * someone puts the range back.
   */
  gone: { first: number; last: number } | undefined;
}

/**
 * Compares this device's fixed segments with the listing of `log/`. A segment
 * past the watermark that is not listed was lost by the remote (a restore, a
 * 2xx that did not survive) and goes up again; one at or below it is folded
 * already, and may be deleted on purpose ([removal](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#removal)). A listed segment of
 * ours under another name over the same seqs is not ours to replace.
 */
export function lostSegments(
  watermark: number,
  deviceId: string,
  listing: readonly SegmentName[],
  own: readonly SegmentRecord[],
): OwnRun {
  const listed = listing.filter((named) => named.deviceId === deviceId && named.last > watermark);
  const lost = own.filter(
    (record) =>
      record.last > watermark &&
      !listed.some((named) => named.first <= record.last && named.last >= record.first),
  );
  const held = [...listed, ...lost].sort((a, b) => a.first - b.first);
  let next = watermark + 1;
  for (const range of held) {
    if (range.first > next) return { lost, gone: { first: next, last: range.first - 1 } };
    next = Math.max(next, range.last + 1);
  }
  return { lost, gone: undefined };
}
