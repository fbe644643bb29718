import {
  applyMessage,
  hasCommand,
  isCommandFault,
  type VersionedState,
} from '../actor/applyMessage.ts';
import { canonicalJson } from '../actor/canonicalJson.ts';
import type { Commands } from '../actor/command.ts';
import { stateEtag } from '../actor/stateEtag.ts';
import { ActorError } from '../errors/ActorError.ts';
import { jsonAnswer, type StoredAnswer } from '../http/answer.ts';
import { problemAnswer } from '../http/problemAnswer.ts';
import type { HeldBack } from '../http/types.ts';
import { receiptLocation } from '../http/receiptLocation.ts';
import { messageAnswer } from '../actor/messageAnswer.ts';
import { sameFingerprint, shortFingerprint } from './storedKeys.ts';
import type { LoggedMessage, Segment } from './segmentFile.ts';
import { setOwn } from './setOwn.ts';
import { versionClock, type DeviceEntry, type KeyEntry, type VersionFile } from './versionFile.ts';

/** The next version (undefined when there is nothing new to fold), and what it held back. */
export interface Folded {
  next: VersionFile | undefined;
  heldBack: HeldBack[];
}

/** Everything a fold depends on; the fold itself is a pure function of it. */
export interface FoldInput {
  head: VersionFile;
  /** The devices' gap-free runs after their watermarks (see `selectRuns`), decoded. */
  segments: readonly Segment[];
  actorId: string;
  commands: Commands;
  /** The folding worker's `commandsVersion`: a message logged with a newer one waits for a newer folder. */
  commandsVersion: number;
  scope: string;
  turnTimeoutMs: number;
  remoteKeyTtlMs: number;
  retireAfterMs: number;
  /** The folding device, and the seq up to which it has read its answers. */
  self: { deviceId: string; acked: number };
  nonce: string;
  /**
   * The remote's time (ms) the version is folded at (see `readRemoteClock`);
   * raised to the head's clock if below it. No device's `Date.now()`: a
   * device's wrong clock must not decide what the registry forgets ([the clock](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#the-clock-the-key-ttl-and-retirement)).
   */
  clock: number;
}

interface Pending extends LoggedMessage {
  deviceId: string;
  t: number;
}

/**
 * The next version: the head's state with every new message applied in
 * (clamped time, device, seq) order after it — a fold only appends. A key
 * already in the remote registry folds as a replay, never a second effect.
 * A message whose answer would depend on who folds (a command or a
 * `commandsVersion` this worker lacks, a turn timeout here) stops its
 * device's run there, like a gap: it and the device's later messages wait
 * for a folder that can run them ([folding](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#folding)). New keys are registered
 * at the version's clock, and keys older than `remoteKeyTtlMs` by it are
 * dropped (see {@link atClock}). Says which runs it stopped, and why.
 */
export async function fold(input: FoldInput): Promise<Folded> {
  const { head, actorId } = input;
  const queue = mergeRuns(head, input.segments);
  const heldBack: HeldBack[] = [];
  if (queue.length === 0) return { next: undefined, heldBack };
  const devices = structuredClone(head.devices);
  const added = new Map<string, KeyEntry>();
  let current: VersionedState = {
    state: head.state,
    etag: await stateEtag(canonicalJson(head.state)),
  };
  const stopped = new Set<string>();
  const stop = (logged: Pending, code: HeldBack['code']) => {
    stopped.add(logged.deviceId);
    heldBack.push({
      deviceId: logged.deviceId,
      own: logged.deviceId === input.self.deviceId,
      seq: logged.seq,
      key: logged.key,
      type: logged.message.type,
      code,
      commandsVersion: logged.commandsVersion ?? 0,
    });
  };
  let folded = 0;
  for (const logged of queue) {
    if (stopped.has(logged.deviceId)) continue;
    const unfoldable = whyUnfoldable(input, logged);
    if (unfoldable !== undefined) {
      stop(logged, unfoldable);
      continue;
    }
    const known = added.get(logged.key) ?? head.keys.get(logged.key);
    let answer: StoredAnswer;
    if (known !== undefined) {
      answer = sameFingerprint(known[0], logged.fingerprint)
        ? replayAnswer(input, logged, devices[known[1]], known)
        : problemAnswer(
            new ActorError('key-reused'),
            receiptLocation(input.scope, actorId, logged.key),
          );
    } else {
      const context = {
        actorId,
        key: logged.key,
        at: logged.at,
        deviceId: logged.deviceId,
        seq: logged.seq,
      };
      const applied = await applyMessage(
        input.commands,
        current,
        logged.message,
        context,
        input.turnTimeoutMs,
      );
      const fault = applied.ok ? undefined : foldFault(applied.error);
      if (fault !== undefined) {
        stop(logged, fault);
        continue;
      }
      if (applied.ok) current = applied.next;
      answer = messageAnswer(input.scope, actorId, logged.key, logged.message, applied, true);
      // Registered as the remote stores it, so the version claimed reads as every device decodes it.
      added.set(logged.key, [
        shortFingerprint(logged.fingerprint),
        logged.deviceId,
        logged.seq,
        input.clock,
        answer.status,
      ]);
    }
    const device = (devices[logged.deviceId] ??= { seq: 0, t: 0, results: {}, acked: 0 });
    device.results[String(logged.seq)] = answer;
    device.seq = logged.seq;
    device.t = logged.t;
    folded++;
  }
  if (folded === 0) return { next: undefined, heldBack };
  const self = devices[input.self.deviceId];
  if (self !== undefined) self.acked = Math.max(self.acked, input.self.acked);
  const next: Omit<VersionFile, 'keys'> = {
    version: head.version + 1,
    parent: head.version,
    nonce: input.nonce,
    state: current.state,
    devices: dropAcknowledged(devices),
    updatedAt: '',
  };
  return { next: stampAt(next, head, added, input.clock, input), heldBack };
}

/** What {@link atClock} forgets by. */
export interface Forgetting {
  remoteKeyTtlMs: number;
  retireAfterMs: number;
}

/**
 * `next`, folded onto `head`, as if folded at `clock` (raised to the head's
 * clock if below it, so a clock never goes back): the keys it registered
 * (those `head` lacks) get that `foldedAt`, and every key older than
 * `remoteKeyTtlMs` by it is dropped; the devices whose run advanced are
 * stamped with it (`at`), and a device silent for `retireAfterMs` by it
 * keeps only its watermark: the answers it never read are dropped
 * ([the clock](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#the-clock-the-key-ttl-and-retirement)). A round folds before it knows the remote's time (a fold
 * with nothing new costs no request) and stamps the version with it
 * afterwards; the result is the fold at that clock, since a later clock
 * only drops more.
 */
export function atClock(
  next: VersionFile,
  head: VersionFile,
  clock: number,
  forgetting: Forgetting,
): VersionFile {
  return stampAt(next, head, next.keys.addedTo(head.keys), clock, forgetting);
}

// `next` with the keys `added` to the head's registered at the clock: the fold's keys go straight onto
// the head's registry, with no registry of the fold's own made only to be stamped again.
function stampAt(
  next: Omit<VersionFile, 'keys'>,
  head: VersionFile,
  added: ReadonlyMap<string, KeyEntry>,
  clock: number,
  { remoteKeyTtlMs, retireAfterMs }: Forgetting,
): VersionFile {
  const at = Math.max(clock, versionClock(head));
  const stamped = new Map<string, KeyEntry>();
  for (const [key, entry] of added) {
    stamped.set(key, [entry[0], entry[1], entry[2], at, entry[4]]);
  }
  const keys = head.keys.with(stamped, at - remoteKeyTtlMs);
  const devices: Record<string, DeviceEntry> = {};
  for (const [deviceId, entry] of Object.entries(next.devices)) {
    const before = head.devices[deviceId];
    // Measured against the head, so stamping a draft again at a later clock equals folding at it.
    const advanced = before === undefined || before.seq !== entry.seq || before.at === undefined;
    const stamped = advanced ? { ...entry, at } : entry;
    const silent = (stamped.at ?? at) <= at - retireAfterMs;
    const retired =
      silent && Object.keys(stamped.results).length > 0
        ? { ...stamped, acked: Math.max(stamped.acked, stamped.seq), results: {} }
        : stamped;
    setOwn(devices, deviceId, retired);
  }
  return { ...next, keys, devices, clock: at, updatedAt: new Date(at).toISOString() };
}

// A timeout says how fast this device is, and a faulty command what this release is, not what the
// message means: a later fold (a faster device, a fixed release) runs it again.
function foldFault(error: ActorError): HeldBack['code'] | undefined {
  if (error.code === 'turn-timeout') return error.code;
  return isCommandFault(error) ? error.code : undefined;
}

// Every folder that gets past this gives the message the same answer: it has the command, at least as new.
function whyUnfoldable(input: FoldInput, logged: LoggedMessage): HeldBack['code'] | undefined {
  if ((logged.commandsVersion ?? 0) > input.commandsVersion) return 'commands-newer';
  if (!hasCommand(input.commands, logged.message.type)) return 'unknown-command';
  return undefined;
}

/**
 * All runs' messages past their device's watermark (a run may start inside a
 * segment), each device's times clamped to never go back, merged by (t, device, seq).
 */
function mergeRuns(head: VersionFile, segments: readonly Segment[]): Pending[] {
  const clock = new Map<string, number>();
  const merged: Pending[] = [];
  for (const segment of segments) {
    const watermark = head.devices[segment.deviceId]?.seq ?? 0;
    for (const logged of segment.messages) {
      if (logged.seq <= watermark) continue;
      const t = Math.max(
        logged.at,
        clock.get(segment.deviceId) ?? head.devices[segment.deviceId]?.t ?? 0,
      );
      clock.set(segment.deviceId, t);
      merged.push({ ...logged, deviceId: segment.deviceId, t });
    }
  }
  return merged.sort((a, b) =>
    a.t !== b.t
      ? a.t - b.t
      : a.deviceId !== b.deviceId
        ? a.deviceId < b.deviceId
          ? -1
          : 1
        : a.seq - b.seq,
  );
}

// The first answer while it is still carried; after that, its status and the fact that it is a replay.
function replayAnswer(
  input: FoldInput,
  logged: LoggedMessage,
  original: DeviceEntry | undefined,
  [, , originalSeq, , status]: KeyEntry,
): StoredAnswer {
  const kept = original?.results[String(originalSeq)];
  if (kept !== undefined) return kept;
  const body = {
    key: logged.key,
    status: status < 400 ? 'done' : 'failed',
    result: null,
    replayed: true,
  };
  return jsonAnswer(status, body, [
    ['location', receiptLocation(input.scope, input.actorId, logged.key)],
  ]);
}

function dropAcknowledged(devices: Record<string, DeviceEntry>): Record<string, DeviceEntry> {
  for (const entry of Object.values(devices)) {
    entry.results = Object.fromEntries(
      Object.entries(entry.results).filter(([seq]) => Number(seq) > entry.acked),
    );
  }
  return devices;
}
