import { deleteCollection } from '../webdav/deleteCollection.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { remotePaths } from './remotePaths.ts';
import type { SegmentName } from './segmentName.ts';
import type { VersionFile } from './versionFile.ts';

/**
 * Deletes this device's listed log segments whose messages the head already
 * holds (its watermark for this device covers them), so `log/` keeps only
 * what is still to be folded and a round's listing stays the size of the
 * work in flight, whatever the history ([removal](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#removal)). The head is one
 * this device confirmed after reading its nonce back, so no fold onto the
 * remote's line needs them again; a fold onto an older head that finds one
 * gone stops that device's run there, and its claim loses to the newer
 * version anyway. Only the device that wrote a segment deletes it.
 */
export async function dropFoldedSegments(
  remote: RemoteConfig,
  actorId: string,
  deviceId: string,
  head: VersionFile,
  listed: readonly SegmentName[],
): Promise<void> {
  const covered = head.devices[deviceId]?.seq ?? 0;
  for (const segment of listed) {
    if (segment.deviceId !== deviceId || segment.last > covered) continue;
    await deleteCollection(remote, remotePaths.segment(actorId, segment.name));
  }
}
