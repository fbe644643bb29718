import { SyncError } from '../errors/SyncError.ts';
import type { HostContext } from '../host/hostContext.ts';
import { actorSegments } from '../store/segments.ts';
import { deleteCollection } from '../webdav/deleteCollection.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { claimVersion } from './claimVersion.ts';
import { uploadSegments } from './uploadSegments.ts';
import { ensureLayout } from './ensureCollections.ts';
import { fixSegments } from './fixSegments.ts';
import { fold } from './fold.ts';
import { readHead } from './readHead.ts';
import { readRuns } from './readRuns.ts';
import { remotePaths } from './remotePaths.ts';
import type { VersionFile } from './versionFile.ts';

/** What a worker remembers between rounds. */
export interface RoundMemory {
  /** Versions read or claimed, by actor: immutable, so never read twice. */
  versions: Map<string, VersionFile>;
  /** Actors whose collections this worker has made or seen. */
  layout: Set<string>;
}

/** The version a round ended on, and a broken segment it had to stop a device's run at. */
export interface RoundResult {
  version: VersionFile;
  broken: SyncError | undefined;
}

const maxClaimAttempts = 8;

/**
 * One round of DESIGN.md §6 for one actor, under its sync lock. The head is
 * read first: with no network, the round ends before it fixes anything, so
 * messages accepted offline are fixed into one segment when the remote is
 * back, not one each. Then: upload, probe, fold and claim until a version
 * holds everything listed (or nothing new is listed: a pull).
 */
export async function syncRound(
  host: HostContext,
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
  await probe(deviceId);
  await dropStaleStaging(remote, host, actorId, deviceId);
  for (let attempt = 0; attempt < maxClaimAttempts; attempt++) {
    if (attempt > 0) head = await readHead(remote, actorId, memory.versions);
    const own = await actorSegments(db, actorId);
    const runs = await readRuns(remote, actorId, head, deviceId, own, attempt === 0 && freshLog);
    const next = await fold({
      head,
      segments: runs.segments,
      actorId,
      commands: host.config.commands,
      commandsVersion: host.config.commandsVersion,
      scope: host.config.scope,
      turnTimeoutMs: host.config.turnTimeoutMs,
      remoteKeyTtlMs: host.config.remoteKeyTtlMs,
      self: { deviceId, acked: (await db.get('actors', actorId))?.acked ?? 0 },
      nonce: crypto.randomUUID(),
      now: Date.now(),
    });
    if (next === undefined) return { version: head, broken: runs.broken };
    // Noted before the MKCOL, so a round that dies mid-claim has its staging folder removed by the next.
    await db.put('meta', next.nonce, stagingMarker(actorId));
    const won = await claimVersion(remote, actorId, deviceId, next);
    await db.delete('meta', stagingMarker(actorId));
    if (won) {
      memory.versions.set(actorId, next);
      return { version: next, broken: runs.broken };
    }
  }
  throw new SyncError(
    'remote-server-error',
    `Lost the race for a new version ${maxClaimAttempts} times`,
  );
}

function stagingMarker(actorId: string): string {
  return `staging:${actorId}`;
}

// Only our own folder, and only one we know a dead round left: another device's may be a claim in flight.
async function dropStaleStaging(
  remote: RemoteConfig,
  host: HostContext,
  actorId: string,
  deviceId: string,
): Promise<void> {
  const db = await host.db();
  const nonce = await db.get('meta', stagingMarker(actorId));
  if (typeof nonce !== 'string') return;
  await deleteCollection(remote, remotePaths.staging(actorId, deviceId, nonce));
  await db.delete('meta', stagingMarker(actorId));
}
