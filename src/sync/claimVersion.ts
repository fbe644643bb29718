import { isUnanswered, SyncError } from '../errors/SyncError.ts';
import { davRequest, unexpected } from '../webdav/davRequest.ts';
import { deleteCollection } from '../webdav/deleteCollection.ts';
import { makeOwnCollection } from '../webdav/makeOwnCollection.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { ensureLayout, parentMissing } from './ensureCollections.ts';
import { claimedNonce } from './claimedNonce.ts';
import { readRemoteClock } from './readRemoteClock.ts';
import { claimName, remotePaths } from './remotePaths.ts';
import type { VersionFile } from './versionFile.ts';
import { sleep } from '../timers/sleep.ts';

/** The longest a claim waits before its read-back (see below): a MOVE slower than this is a sick server anyway. */
const settleCapMs = 2000;

/**
 * Claims `v/{n}` ([claiming a version](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#claiming-a-version)): MKCOL a staging collection, PUT a
 * claim file (its nonce) into it and read the server's modification time of
 * that file, stamp the version with it (`seal`: the clock no device's clock
 * can move), PUT the version, and MOVE the collection onto `v/{n}/` with
 * `Overwrite: F`. Whatever the MOVE answers, even 201/204, the claim is
 * settled by reading `v/{n}/claim.json` back: our nonce means we won (perhaps losing
 * only the acknowledgement); another means someone else did — a server
 * that checks and then renames answers 201 to two claimants, so the read-back
 * waits as long as the MOVE took first. `seal` gives the file to store
 * (`encodeVersion`). Resolves with the version claimed, or undefined when
 * the claim was lost.
 */
export async function claimVersion(
  remote: RemoteConfig,
  actorId: string,
  deviceId: string,
  draft: VersionFile,
  seal: (clock: number) => { body: string; version: VersionFile },
): Promise<VersionFile | undefined> {
  const staging = remotePaths.staging(actorId, deviceId, draft.nonce);
  await makeStaging(remote, actorId, staging);
  const claimFile = `${staging}${claimName}`;
  await put(remote, claimFile, JSON.stringify({ nonce: draft.nonce, deviceId }));
  const { body, version: next } = seal(await readRemoteClock(remote, claimFile));
  await put(remote, `${staging}state.json`, body);
  const target = remotePaths.version(actorId, next.version);
  let moved = false;
  const sent = performance.now();
  try {
    const response = await davRequest(remote, 'MOVE', staging, {
      headers: { destination: remote.url + target, overwrite: 'F' },
    });
    moved = response.status === 201 || response.status === 204;
  } catch (error) {
    if (!isUnanswered(error)) throw error;
  }
  // On a server that checks and then renames, a rival whose check passed while our MOVE ran renames over
  // ours up to about as long after it answered: read back once that long has passed, so we see the last one.
  if (moved) await sleep(Math.min(performance.now() - sent, settleCapMs));
  const claimed = await claimedNonce(remote, actorId, next.version);
  if (claimed === next.nonce) return next;
  if (moved && claimed === undefined) {
    throw new SyncError(
      'remote-protocol',
      `MOVE ${staging}: answered success, but ${target} holds no version: the server put it ` +
        'elsewhere (a proxy that does not rewrite Destination?)',
    );
  }
  await deleteCollection(remote, staging);
  return undefined;
}

async function makeStaging(remote: RemoteConfig, actorId: string, staging: string): Promise<void> {
  let made = await makeOwnCollection(remote, staging);
  if (parentMissing(made)) {
    // The actor's layout was made once, and since removed (a wiped or restored remote): `v/` is gone as well,
    // and a MOVE into it would fail like a lost race, round after round.
    await ensureLayout(remote, actorId);
    made = await makeOwnCollection(remote, staging);
  }
  if (made.status !== 201) throw unexpected('MKCOL', staging, made);
}

async function put(remote: RemoteConfig, path: string, body: string): Promise<void> {
  const response = await davRequest(remote, 'PUT', path, {
    headers: { 'content-type': 'application/json' },
    body,
  });
  if (!response.ok) throw unexpected('PUT', path, response);
}
