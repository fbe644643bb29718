import { SyncError } from '../errors/SyncError.ts';
import type { ActorDb } from '../store/openDb.ts';
import type { SegmentRecord } from '../store/schema.ts';
import { actorSegments } from '../store/segments.ts';
import { davRequest, unexpected } from '../webdav/davRequest.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { ensureCollections, parentMissing } from './ensureCollections.ts';
import { remotePaths } from './remotePaths.ts';

/** Uploads this device's fixed segments not yet on the remote, in seq order ([log segments](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#log-segments)). */
export async function uploadSegments(
  remote: RemoteConfig,
  db: ActorDb,
  actorId: string,
): Promise<void> {
  for (const segment of await actorSegments(db, actorId)) {
    if (segment.uploaded) continue;
    await putSegment(remote, segment);
    await db.put('segments', { ...segment, uploaded: true });
  }
}

/**
 * PUTs one segment, write-once: `If-None-Match: *`. A 412 means the name exists: the same bytes are
 * our own upload whose answer was lost (or a segment thought lost that was not); other bytes mean
 * another device uses our id, and we stop rather than fold it.
 */
export async function putSegment(remote: RemoteConfig, segment: SegmentRecord): Promise<void> {
  const path = remotePaths.segment(segment.actorId, segment.name);
  const put = () =>
    davRequest(remote, 'PUT', path, {
      headers: { 'if-none-match': '*', 'content-type': 'application/json' },
      body: segment.body,
    });
  let response = await put();
  if (parentMissing(response)) {
    await ensureCollections(remote, [
      remotePaths.actor(segment.actorId),
      remotePaths.log(segment.actorId),
    ]);
    response = await put();
  }
  if (response.ok) return;
  if (response.status !== 412) throw unexpected('PUT', path, response);
  const existing = await davRequest(remote, 'GET', path);
  if (!existing.ok) throw unexpected('GET', path, existing);
  if ((await existing.text()) !== segment.body) {
    throw new SyncError(
      'device-id-conflict',
      `${segment.name} on the remote is not ours: another device uses this device id`,
    );
  }
}
