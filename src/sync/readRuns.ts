import { isSyncError, SyncError } from '../errors/SyncError.ts';
import type { SegmentRecord } from '../store/schema.ts';
import { readRemoteFile } from '../webdav/readRemoteFile.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { listCollection } from './listCollection.ts';
import { lostSegments } from './lostSegments.ts';
import { remotePaths } from './remotePaths.ts';
import { decodeSegment, type Segment } from './segmentFile.ts';
import { parseSegmentName, type SegmentName } from './segmentName.ts';
import { selectRuns } from './selectRuns.ts';
import { putSegment } from './uploadSegments.ts';
import type { VersionFile } from './versionFile.ts';

/** The segments to fold onto `head`, and the first broken one met (its device's run stops there). */
export interface Runs {
  segments: Segment[];
  broken: SyncError | undefined;
  /** What `log/` listed (with what this round put back). */
  listed: SegmentName[];
}

/**
 * Lists `log/` (one PROPFIND) and reads every device's gap-free run after
 * its watermark. This device's own segments are read from IndexedDB, not
 * fetched back; those past its watermark that the listing lacks are put
 * back first ([a remote that loses a segment](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md#a-remote-that-loses-a-segment)), so a remote that lost one does not stall this
 * device for good. With `onlyOwn` (a `log/` this device has just made) the
 * listing is known without asking.
 */
export async function readRuns(
  remote: RemoteConfig,
  actorId: string,
  head: VersionFile,
  deviceId: string,
  own: readonly SegmentRecord[],
  onlyOwn = false,
): Promise<Runs> {
  const names = onlyOwn
    ? own.map((record) => record.name)
    : await listCollection(remote, remotePaths.log(actorId));
  const listing = names.map(parseSegmentName).filter((named) => named !== undefined);
  const restored = await restoreOwn(remote, actorId, head, deviceId, own, listing);
  listing.push(...restored.listed);
  const local = new Map(own.map((record) => [record.name, record.body]));
  const segments: Segment[] = [];
  const stopped = new Set<string>();
  const { runs, conflicted } = selectRuns(head, listing);
  if (conflicted.includes(deviceId)) {
    throw new SyncError(
      'device-id-conflict',
      'Another install writes log segments under this device id; nothing of ours is confirmed',
    );
  }
  let broken: SyncError | undefined =
    restored.gone ??
    (conflicted.length === 0
      ? undefined
      : new SyncError(
          'device-id-conflict',
          `Devices share an id and are not folded: ${conflicted.join(', ')}`,
        ));
  for (const named of runs) {
    if (stopped.has(named.deviceId)) continue;
    try {
      const body =
        local.get(named.name) ??
        (await readRemoteFile(remote, remotePaths.segment(actorId, named.name)));
      if (body === undefined) {
        // Deleted since the listing: its device found it folded into a checkpoint newer than our head.
        stopped.add(named.deviceId);
        continue;
      }
      segments.push(await decodeSegment(actorId, named, body));
    } catch (error) {
      if (!isSyncError(error) || error.retryable) throw error;
      stopped.add(named.deviceId);
      broken ??= error;
    }
  }
  return { segments, broken, listed: listing };
}

// A stale listing makes this PUT harmless, not wrong: `If-None-Match: *` gives a 412 and the bytes match.
async function restoreOwn(
  remote: RemoteConfig,
  actorId: string,
  head: VersionFile,
  deviceId: string,
  own: readonly SegmentRecord[],
  listing: readonly SegmentName[],
): Promise<{ listed: SegmentName[]; gone: SyncError | undefined }> {
  const { lost, gone } = lostSegments(head.devices[deviceId]?.seq ?? 0, deviceId, listing, own);
  const listed: SegmentName[] = [];
  for (const record of lost) {
    await putSegment(remote, record);
    const named = parseSegmentName(record.name);
    if (named !== undefined) listed.push(named);
  }
  if (gone === undefined) return { listed, gone };
  return {
    listed,
    gone: new SyncError(
      'remote-lost-segment',
      `The remote lost messages ${gone.first}-${gone.last} of this device from ${actorId}/log/ ` +
        '(restored from an older copy?) and this device no longer holds them, so its later ' +
        'messages stay pending: restore the remote, or its log/ folder, from a copy that has them',
    ),
  };
}
