import { isSyncError, SyncError } from '../errors/SyncError.ts';
import { readRemoteFile } from '../webdav/readRemoteFile.ts';
import { davRequest, unexpected } from '../webdav/davRequest.ts';
import { deleteCollection, type DeleteRetries } from '../webdav/deleteCollection.ts';
import { makeOwnCollection } from '../webdav/makeOwnCollection.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { listCollection } from './listCollection.ts';
import type { ProbeScratch } from './probeScratch.ts';

/** What the probe found on a remote that passed it. */
export interface ProbeResult {
  /**
   * `honoured`: a `PUT` with `If-None-Match: *` onto an existing file was
   * refused (412). `ignored`: the server overwrote the file (nginx, rclone,
   * webdav-server, chezdav do). The remote is still safe to claim versions
   * on, but another install using this device's id cannot be detected there
   * (`device-id-conflict`), and a segment upload cannot tell it was not ours.
   */
  readonly ifNoneMatch: 'honoured' | 'ignored';
  /** When the checks finished (ms since the epoch), to tell how old the verdict is. */
  readonly checkedAt: number;
}

const racers = 8;
const races = 3;

/**
 * Checks, before trusting a remote, what claiming a version rests on
 * ([the probe](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#the-probe)), in a scratch collection it removes afterwards:
 * a second MKCOL of one name fails; a MOVE with `Overwrite: F` onto an
 * existing non-empty collection fails and leaves it as it was; a MOVE onto
 * a new name succeeds and its content arrives there (a proxy that does not
 * rewrite `Destination` fails this); of 8 simultaneous MOVEs onto one new
 * name at most one succeeds and the target holds exactly one racer's files,
 * 3 times (a server that checks and then renames fails this); and whether
 * `If-None-Match: *` is honoured.
 *
 * With `scratch`, the folder is noted on this device while it exists, and
 * folders an earlier probe left (its worker stopped) are removed first.
 *
 * Resolves with what it found when the remote is safe. Rejects with
 * `remote-unsafe`, saying which check failed, when it is not; any other
 * SyncError means the probe was cut short (network, 5xx, a scratch folder
 * that could not be removed) and says nothing about the server yet.
 */
export async function probeRemote(
  remote: RemoteConfig,
  deviceId: string,
  retries: DeleteRetries = {},
  scratch?: ProbeScratch,
): Promise<ProbeResult> {
  if (scratch !== undefined) await removeLeftovers(remote, scratch, retries);
  const root = `.actordav-probe-${deviceId}-${crypto.randomUUID()}/`;
  await scratch?.made(root);
  let made: Response | undefined;
  try {
    made = await makeOwnCollection(remote, root);
  } finally {
    // Nothing was made: no folder to note.
    if (made?.status !== 201) await scratch?.removed(root);
  }
  if (made.status !== 201) throw unexpected('MKCOL', root, made);
  const remove = () => removeScratch(remote, root, retries, scratch);
  let ifNoneMatch: ProbeResult['ifNoneMatch'];
  try {
    ifNoneMatch = await runChecks(remote, root);
  } catch (error) {
    const left = await remove().then(
      () => undefined,
      (cleanup: unknown) => cleanup,
    );
    throw left === undefined || !isSyncError(error) || !isSyncError(left)
      ? error
      : new SyncError(error.code, `${error.message} (also: ${left.message})`, {
          cause: error.cause,
          ...(error.status === undefined ? {} : { status: error.status }),
        });
  }
  try {
    await remove();
  } catch (left) {
    if (!isSyncError(left)) throw left;
    throw new SyncError(left.code, `The probe passed, but not its clean-up: ${left.message}`, {
      cause: left,
    });
  }
  return { ifNoneMatch, checkedAt: Date.now() };
}

// One that cannot be removed now (the remote is down) stays noted for the next probe.
async function removeLeftovers(
  remote: RemoteConfig,
  scratch: ProbeScratch,
  retries: DeleteRetries,
): Promise<void> {
  for (const root of await scratch.leftovers()) {
    try {
      await removeScratch(remote, root, retries, scratch);
    } catch (error) {
      if (!isSyncError(error)) throw error;
    }
  }
}

async function removeScratch(
  remote: RemoteConfig,
  root: string,
  retries: DeleteRetries,
  scratch: ProbeScratch | undefined,
): Promise<void> {
  await deleteCollection(remote, root, retries);
  await scratch?.removed(root);
}

async function runChecks(remote: RemoteConfig, root: string): Promise<ProbeResult['ifNoneMatch']> {
  const again = await davRequest(remote, 'MKCOL', root);
  if (again.ok) throw unsafe('a second MKCOL of the same name succeeded');
  await folder(remote, `${root}a/`, 'x', 'a');
  await folder(remote, `${root}b/`, 'x', 'b');

  const replaced = await move(remote, `${root}a/`, `${root}b/`);
  // 207 is a failure report (a 412 inside), so only a real success status or a changed target counts.
  // Read back with readRemoteFile: only a 404 means absent; a 5xx or a dropped read cuts the probe
  // short (retried) instead of becoming a verdict on the server, kept for 10 minutes.
  if (moved(replaced) || (await readRemoteFile(remote, `${root}b/x`)) !== 'b') {
    throw unsafe('a MOVE with Overwrite: F replaced an existing collection');
  }

  const landed = await move(remote, `${root}a/`, `${root}n/`);
  // Any other 5xx may be passing trouble; 502 is what servers answer a Destination on another host.
  if (landed.status >= 500 && landed.status !== 502) throw unexpected('MOVE', `${root}a/`, landed);
  if (!moved(landed) || (await readRemoteFile(remote, `${root}n/x`)) !== 'a') {
    throw unsafe(
      `a MOVE onto a new name answered ${landed.status} and its content did not arrive there ` +
        '(a proxy in front of the server must rewrite the Destination header as well as Host)',
    );
  }

  const exclusive = await davRequest(remote, 'PUT', `${root}b/x`, {
    headers: { 'if-none-match': '*' },
    body: 'c',
  });
  if (exclusive.status !== 412 && !exclusive.ok) throw unexpected('PUT', `${root}b/x`, exclusive);
  for (let race = 0; race < races; race++) await checkRace(remote, root, race);
  return exclusive.status === 412 ? 'honoured' : 'ignored';
}

/** 8 distinct non-empty folders MOVEd at once onto one new name: one may win, and only its files land. */
async function checkRace(remote: RemoteConfig, root: string, race: number): Promise<void> {
  const sources = Array.from({ length: racers }, (_, i) => `${root}r${race}-${i}/`);
  await Promise.all(sources.map((source, i) => folder(remote, source, `r${i}`, `${race}-${i}`)));
  const target = `${root}won${race}/`;
  const settled = await Promise.allSettled(sources.map((source) => move(remote, source, target)));
  const answers = settled.map((outcome) => {
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  });
  const winners = answers.flatMap((answer, i) => (moved(answer) ? [i] : []));
  if (winners.length > 1) {
    throw unsafe(
      `${winners.length} of ${racers} simultaneous MOVEs onto one new name succeeded, ` +
        'so two devices could both claim one version',
    );
  }
  const held = await listCollection(remote, target);
  const racer = held.length === 1 ? /^r(\d+)$/.exec(held[0] ?? '')?.[1] : undefined;
  const one =
    racer !== undefined &&
    (winners.length === 0 || winners[0] === Number(racer)) &&
    (await readRemoteFile(remote, `${target}r${racer}`)) === `${race}-${racer}`;
  if (one) return;
  const trouble = answers.find((answer) => answer.status >= 500);
  if (held.length === 0 && winners.length === 0 && trouble !== undefined) {
    throw unexpected('MOVE', target, trouble);
  }
  throw unsafe(
    `after ${racers} simultaneous MOVEs onto one new name it held ` +
      `${held.length === 0 ? 'nothing' : held.join(', ')}, not exactly the winner's files`,
  );
}

async function folder(remote: RemoteConfig, path: string, name: string, body: string) {
  const made = await makeOwnCollection(remote, path);
  if (made.status !== 201) throw unexpected('MKCOL', path, made);
  const put = await davRequest(remote, 'PUT', `${path}${name}`, { body });
  if (!put.ok) throw unexpected('PUT', `${path}${name}`, put);
}

function move(remote: RemoteConfig, from: string, to: string): Promise<Response> {
  return davRequest(remote, 'MOVE', from, {
    headers: { destination: remote.url + to, overwrite: 'F' },
  });
}

function moved(response: Response): boolean {
  return response.status === 200 || response.status === 201 || response.status === 204;
}

function unsafe(why: string): SyncError {
  return new SyncError(
    'remote-unsafe',
    `This WebDAV server cannot be trusted to claim versions: ${why}. Messages are uploaded but stay pending.`,
  );
}
