import { SyncError } from '../errors/SyncError.ts';
import type { HeldBack } from '../http/types.ts';
import type { SyncHost } from './SyncHost.ts';
import { actorSegments } from '../store/segments.ts';
import { deleteCollection } from '../webdav/deleteCollection.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import type { ActorDb } from '../store/openDb.ts';
import { checkHead } from './checkHead.ts';
import { dropFoldedSegments } from './dropFoldedSegments.ts';
import { claimVersion } from './claimVersion.ts';
import { uploadSegments } from './uploadSegments.ts';
import { ensureLayout } from './ensureCollections.ts';
import { fixSegments } from './fixSegments.ts';
import { atClock, fold } from './fold.ts';
import { readHead } from './readHead.ts';
import { readRuns } from './readRuns.ts';
import { removedBelow, removeOldVersions } from './removeOldVersions.ts';
import type { SegmentName } from './segmentName.ts';
import { encodeVersion } from './storedVersion.ts';
import { remotePaths } from './remotePaths.ts';
import { versionClock, type VersionFile } from './versionFile.ts';

/** What a worker remembers between rounds. */
export interface RoundMemory {
  /** The last version read or claimed, by actor; reused only while its number holds its nonce (`readHead`). */
  versions: Map<string, VersionFile>;
  /** Actors whose collections this worker has made or seen. */
  layout: Set<string>;
}

/** The version a round ended on, and a broken segment it had to stop a device's run at. */
export interface RoundResult {
  version: VersionFile;
  broken: SyncError | undefined;
  /** What the fold could not run: it waits on the remote for a worker that can. */
  heldBack: HeldBack[];
  /** Removal the round leaves for after its confirmation, so no answer waits for it ([removal](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#removal)). */
  tidy: () => Promise<void>;
}

const maxClaimAttempts = 8;

/**
 * One round of [the sync protocol](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md#a-sync-round-syncround) for one actor, under its sync lock. The head is
 * read first: with no network, the round ends before it fixes anything, so
 * messages accepted offline are fixed into one segment when the remote is
 * back, not one each. Then: upload, probe, fold and claim until a version
 * holds everything listed (or nothing new is listed: a pull).
 *
 * A head that lacks what this device confirmed is refused before anything
 * is folded onto it (`remote-rollback`, `remote-fork`: see `checkHead`). A
 * version's registry clock is the remote's, read while claiming, never
 * this device's ([the clock](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#the-clock-the-key-ttl-and-retirement)).
 */
export async function syncRound(
  host: SyncHost,
  remote: RemoteConfig,
  actorId: string,
  memory: RoundMemory,
  probe: (deviceId: string) => Promise<void>,
): Promise<RoundResult> {
  const [db, deviceId] = await Promise.all([host.db(), host.deviceId()]);
  let head = await readHead(remote, actorId, memory.versions);
  const freshLog =
    head.version === 0 && !memory.layout.has(actorId) && (await ensureLayout(remote, actorId));
  memory.layout.add(actorId);
  await uploadSegments(remote, db, actorId);
  await fixSegments(db, actorId, deviceId);
  await uploadSegments(remote, db, actorId);
  checkHead(actorId, deviceId, head, await db.get('actors', actorId));
  await probe(deviceId);
  await dropStaleStaging(remote, host, actorId, deviceId);
  for (let attempt = 0; attempt < maxClaimAttempts; attempt++) {
    if (attempt > 0) {
      head = await readHead(remote, actorId, memory.versions);
      checkHead(actorId, deviceId, head, await db.get('actors', actorId));
    }
    const own = await actorSegments(db, actorId);
    const runs = await readRuns(remote, actorId, head, deviceId, own, attempt === 0 && freshLog);
    const { next: draft, heldBack } = await fold({
      head,
      segments: runs.segments,
      actorId,
      commands: host.config.commands,
      commandsVersion: host.config.commandsVersion,
      scope: host.config.scope,
      turnTimeoutMs: host.config.turnTimeoutMs,
      remoteKeyTtlMs: host.config.remoteKeyTtlMs,
      retireAfterMs: host.config.retireAfterMs,
      self: { deviceId, acked: (await db.get('actors', actorId))?.acked ?? 0 },
      nonce: crypto.randomUUID(),
      // Provisional: claimVersion stamps the draft with the remote's time (atClock), once there is one.
      clock: versionClock(head),
    });
    const later = () => tidy(remote, db, actorId, deviceId, head, runs.listed);
    if (draft === undefined) return { version: head, broken: runs.broken, heldBack, tidy: later };
    // Noted before the MKCOL, so a round that dies mid-claim has its staging folder removed by the next.
    await db.put('meta', draft.nonce, stagingMarker(actorId));
    const parent = head;
    const removed = await removedBelow(db, actorId);
    const claimed = await claimVersion(remote, actorId, deviceId, draft, (clock) =>
      encodeVersion(
        atClock(draft, parent, clock, host.config),
        parent,
        host.config.checkpointEvery,
        removed,
      ),
    );
    await db.delete('meta', stagingMarker(actorId));
    if (claimed !== undefined) {
      memory.versions.set(actorId, claimed);
      const tidyClaimed = () => tidy(remote, db, actorId, deviceId, claimed, runs.listed);
      return { version: claimed, broken: runs.broken, heldBack, tidy: tidyClaimed };
    }
  }
  throw new SyncError(
    'remote-server-error',
    `Lost the race for a new version ${maxClaimAttempts} times`,
  );
}

// Removal ([removal](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#removal)), once the round's work is confirmed: a failure here loses nothing and is retried.
async function tidy(
  remote: RemoteConfig,
  db: ActorDb,
  actorId: string,
  deviceId: string,
  head: VersionFile,
  listed: readonly SegmentName[],
): Promise<void> {
  await dropFoldedSegments(remote, actorId, deviceId, head, listed);
  await removeOldVersions(remote, db, actorId, head);
}

function stagingMarker(actorId: string): string {
  return `staging:${actorId}`;
}

// Only our own folder, and only one we know a dead round left: another device's may be a claim in flight.
async function dropStaleStaging(
  remote: RemoteConfig,
  host: SyncHost,
  actorId: string,
  deviceId: string,
): Promise<void> {
  const db = await host.db();
  const nonce = await db.get('meta', stagingMarker(actorId));
  if (typeof nonce !== 'string') return;
  await deleteCollection(remote, remotePaths.staging(actorId, deviceId, nonce));
  await db.delete('meta', stagingMarker(actorId));
}
