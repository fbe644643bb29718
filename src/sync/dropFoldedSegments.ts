import { deleteCollection } from '../webdav/deleteCollection.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { remotePaths } from './remotePaths.ts';
import type { SegmentName } from './segmentName.ts';
import type { VersionFile } from './versionFile.ts';

/**
 * Deletes this device's listed log segments whose messages the head's
 * checkpoint already holds ([removal](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#removal)), so `log/` keeps only what is
 * still to be folded and a round's listing stays small. Only the device
 * that wrote a segment deletes it; a reader that finds one gone skips it.
 */
export async function dropFoldedSegments(
  remote: RemoteConfig,
  actorId: string,
  deviceId: string,
  head: VersionFile,
  listed: readonly SegmentName[],
): Promise<void> {
  const covered = head.chain?.covered[deviceId] ?? 0;
  for (const segment of listed) {
    if (segment.deviceId !== deviceId || segment.last > covered) continue;
    await deleteCollection(remote, remotePaths.segment(actorId, segment.name));
  }
}
