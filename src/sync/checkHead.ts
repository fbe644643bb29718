import { SyncError } from '../errors/SyncError.ts';
import type { ActorRecord } from '../store/schema.ts';
import type { VersionFile } from './versionFile.ts';

/**
 * Refuses a head that does not hold what this device already confirmed
 * ([a sync round](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md#a-sync-round-syncround), step 1), before anything is folded onto it: a head older than
 * the version confirmed, or one that holds fewer of this device's messages
 * than it confirmed, is `remote-rollback` (a restored backup); the version
 * confirmed, under its number, with another nonce is `remote-fork`. Nothing
 * is folded, claimed or confirmed then, and the local state stays.
 */
export function checkHead(
  actorId: string,
  deviceId: string,
  head: VersionFile,
  record: ActorRecord | undefined,
): void {
  if (record === undefined) return;
  if (head.version < record.version) {
    throw new SyncError(
      'remote-rollback',
      `The remote's newest version of ${actorId} is ${head.version}, older than version ` +
        `${record.version} this device already confirmed: the remote was restored from an older ` +
        'copy or lost files. Nothing was folded onto it and nothing here changed; restore ' +
        `${actorId}/ on the remote from a copy that holds version ${record.version} or newer`,
    );
  }
  if (
    head.version === record.version &&
    record.nonce !== undefined &&
    head.nonce !== record.nonce
  ) {
    throw remoteFork(
      actorId,
      `version ${head.version} on the remote is not the one this device confirmed: another ` +
        'claim replaced it (a server whose MOVE lets two claims of one name win)',
    );
  }
  const confirmed = record.acked ?? 0;
  const held = head.devices[deviceId]?.seq ?? 0;
  if (held < confirmed) {
    throw new SyncError(
      'remote-rollback',
      `Version ${head.version} of ${actorId} on the remote holds this device's messages only up ` +
        `to seq ${held}, but this device already confirmed them up to seq ${confirmed}: the ` +
        'remote lost versions (restored from an older copy, or a server whose MOVE lets two ' +
        'claims win). Nothing was folded onto it and nothing here changed; restore ' +
        `${actorId}/ on the remote from a copy that holds them`,
    );
  }
}

/** `remote-fork`: a remote version contradicts what is final on this device; `why` says how. */
export function remoteFork(actorId: string, why: string): SyncError {
  return new SyncError(
    'remote-fork',
    `The remote's history of ${actorId} contradicts answers already final on this device: ` +
      `${why}. Those receipts keep their answers; compare them with the remote's before ` +
      'trusting either, and move the remote to a server that passes the probe',
  );
}
