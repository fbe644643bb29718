import type { JsonObject } from '../actor/message.ts';
import { SyncError } from '../errors/SyncError.ts';
import type { StoredAnswer } from '../http/answer.ts';
import { KeyRegistry } from './KeyRegistry.ts';

/** What a version records of one device ([device entries](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#device-entries)). */
export interface DeviceEntry {
  /** Watermark: every message of the device up to this seq is folded. */
  seq: number;
  /** The device's last (clamped) acceptance time folded. */
  t: number;
  /** Answers to the device's messages past `acked`, by seq. */
  results: Record<string, StoredAnswer>;
  /** The device has read its answers up to this seq. */
  acked: number;
  /**
   * The version clock at which its run last advanced: a device silent for
   * `retireAfterMs` by it keeps only its watermark ([retirement](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#the-clock-the-key-ttl-and-retirement)). Absent
   * in versions written before it existed.
   */
  at?: number;
}

/**
 * The remote key registry's entry: [fingerprint, deviceId, seq, when it was
 * folded (the clock of the version that registered it, ms), the HTTP status
 * of its answer]. The fold time starts `remoteKeyTtlMs`, so a key that
 * arrives late is still kept its full term; the status lets a replay after
 * the answer itself was dropped say how it went.
 */
export type KeyEntry = [
  fingerprint: string,
  deviceId: string,
  seq: number,
  foldedAt: number,
  status: number,
];

/**
 * How a format-2 version is stored ([version files](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#version-files-format-2)): the
 * checkpoint its chain starts from and what the chain costs so far.
 */
export interface Chain {
  /** The checkpoint's number (the version itself, for a checkpoint). */
  readonly base: number;
  /** The checkpoint's size in bytes. */
  readonly baseBytes: number;
  /** The bytes of the deltas after the checkpoint, up to this version. */
  readonly chainBytes: number;
  /** The lowest version that may still hold a file: removal starts here. */
  readonly previous: number;
  /** The checkpoint before this one (`previous` for the first): versions below it may be removed. */
  readonly prior: number;
  /** The registry's device table: a key names its device by an index into it. */
  readonly ids: readonly string[];
}

/**
 * Versions below this one may be removed ([removal](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#removal)): those before the
 * head's checkpoint once the head is two past it, else those before the
 * checkpoint before it, so a chain of checkpoints with no deltas between
 * (a small state, `checkpointEvery: 1`) is removed all the same.
 */
export function removableBelow(head: VersionFile): number {
  const chain = head.chain;
  if (chain === undefined) return 0;
  return head.version - chain.base >= 2 ? chain.base : chain.prior;
}

/** A version's content, whichever format the remote stores it in: immutable once claimed. */
export interface VersionFile {
  version: number;
  parent: number;
  nonce: string;
  state: JsonObject;
  devices: Record<string, DeviceEntry>;
  keys: KeyRegistry;
  /**
   * The remote's time when the version was folded (ms): the server's
   * modification time of the claim file staged for it, never below its
   * parent's clock. Its new keys' `foldedAt`, and what their TTL counts from
   * ([the clock](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#the-clock-the-key-ttl-and-retirement)); no device's clock. Absent in versions written before it
   * existed: see {@link versionClock}.
   */
  clock?: number;
  /** `clock` as an ISO date, for people browsing the remote. */
  updatedAt: string;
  /** How the remote stores it; undefined for the genesis and format-1 versions, after which comes a checkpoint. */
  chain?: Chain;
}

/**
 * A version's clock. One written before clocks existed has none: its keys'
 * `foldedAt` are taken as they are, and its clock is the latest of them.
 */
export function versionClock(version: VersionFile): number {
  return version.clock ?? Math.max(0, version.keys.newest());
}

/** The version before the first: what an actor with no versions on the remote folds onto. */
export function genesisVersion(): VersionFile {
  return {
    version: 0,
    parent: -1,
    nonce: '',
    state: {},
    devices: {},
    keys: KeyRegistry.empty(),
    updatedAt: new Date(0).toISOString(),
  };
}

/** The error of a version file that cannot be read as what its path says. */
export function brokenVersion(n: number, why: string, cause?: unknown): SyncError {
  return new SyncError('remote-protocol', `Version ${n} is unusable: ${why}`, { cause });
}

/**
 * Checks a format-1 `v/{n}/state.json` ([format 1](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#format-1)), already parsed: a
 * whole version, read as a checkpoint. One that is not what its path says
 * stops sync rather than be folded or overwritten.
 */
export function decodeFormat1(n: number, value: unknown): VersionFile {
  const broken = (why: string) => brokenVersion(n, why);
  type Format1 = Omit<VersionFile, 'keys'> & { keys: unknown; format: unknown };
  const file = value as Partial<Format1> | null;
  if (file?.format !== 1) throw broken('not a version file');
  if (file.version !== n) throw broken(`it says it is version ${String(file.version)}`);
  if (typeof file.nonce !== 'string' || !isObject(file.state)) throw broken('no nonce or state');
  if (!isObject(file.devices) || !Object.values(file.devices).every(isDeviceEntry)) {
    throw broken('malformed devices');
  }
  if (!isObject(file.keys)) throw broken('malformed keys');
  if (file.clock !== undefined && !Number.isFinite(file.clock)) throw broken('malformed clock');
  const version = file as Format1 & { keys: Record<string, unknown> };
  const keys = Object.entries(version.keys).map(([key, entry]): [string, KeyEntry] => {
    if (isKeyEntry(entry)) return [key, entry];
    if (!isShortKeyEntry(entry)) throw broken('malformed keys');
    return [key, lengthen(entry, version, broken)];
  });
  return {
    version: n,
    parent: n - 1,
    nonce: version.nonce,
    state: version.state,
    devices: version.devices,
    keys: KeyRegistry.of(new Map(keys)),
    ...(version.clock === undefined ? {} : { clock: version.clock }),
    updatedAt: typeof version.updatedAt === 'string' ? version.updatedAt : '',
  };
}

function isDeviceEntry(value: unknown): boolean {
  const entry = value as Partial<DeviceEntry> | null;
  return (
    typeof entry?.seq === 'number' &&
    typeof entry.t === 'number' &&
    typeof entry.acked === 'number' &&
    isObject(entry.results) &&
    Object.values(entry.results).every(isAnswer)
  );
}

export function isAnswer(value: unknown): boolean {
  const answer = value as Partial<StoredAnswer> | null;
  return (
    typeof answer?.status === 'number' &&
    typeof answer.body === 'string' &&
    Array.isArray(answer.headers) &&
    answer.headers.every(
      (pair) =>
        Array.isArray(pair) && pair.length === 2 && pair.every((part) => typeof part === 'string'),
    )
  );
}

/**
 * A key as DESIGN.md §5 describes format 1, `[fingerprint, deviceId, seq]`,
 * with what this project's format 1 adds: folded at the version's clock
 * (its `updatedAt` without one), so it is kept a full term from there, and
 * the status of its answer where the version still carries it, else 200.
 */
function lengthen(
  [fingerprint, deviceId, seq]: ShortKeyEntry,
  version: Omit<VersionFile, 'keys'>,
  broken: (why: string) => SyncError,
): KeyEntry {
  const foldedAt = version.clock ?? Date.parse(version.updatedAt);
  if (!Number.isFinite(foldedAt)) throw broken('keys without foldedAt and no clock or updatedAt');
  const status = version.devices[deviceId]?.results[String(seq)]?.status ?? 200;
  return [fingerprint, deviceId, seq, foldedAt, status];
}

type ShortKeyEntry = [fingerprint: string, deviceId: string, seq: number];

function isShortKeyEntry(value: unknown): value is ShortKeyEntry {
  return startsLikeKeyEntry(value, 3);
}

function isKeyEntry(value: unknown): value is KeyEntry {
  return (
    startsLikeKeyEntry(value, 5) && typeof value[3] === 'number' && typeof value[4] === 'number'
  );
}

// `[fingerprint, deviceId, seq, …]` of `length` elements.
function startsLikeKeyEntry(value: unknown, length: number): value is unknown[] {
  return (
    Array.isArray(value) &&
    value.length === length &&
    typeof value[0] === 'string' &&
    typeof value[1] === 'string' &&
    typeof value[2] === 'number'
  );
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
