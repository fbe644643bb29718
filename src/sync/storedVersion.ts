import type { JsonObject } from '../actor/message.ts';
import { SyncError } from '../errors/SyncError.ts';
import { applyPatch, diffJson, PatchError, type PatchOperation } from './jsonPatch.ts';
import { KeyRegistry } from './KeyRegistry.ts';
import { decodeKeys, encodeKeys, type StoredKeys } from './storedKeys.ts';
import { setOwn } from './setOwn.ts';
import {
  brokenVersion,
  decodeFormat1,
  isAnswer,
  isObject,
  type Chain,
  type DeviceEntry,
  type KeyEntry,
  removableBelow,
  type VersionFile,
} from './versionFile.ts';

/** The newest remote format this worker reads and writes. */
export const remoteFormat = 2;

/** A device entry as format 2 stores it: `acked` only when it is not `seq`, `results` only when some are carried. */
interface StoredDevice {
  seq: number;
  t: number;
  at?: number;
  acked?: number;
  results?: DeviceEntry['results'];
}

interface Header {
  format: 2;
  version: number;
  parent: number;
  /** The parent's nonce: a chain is read only through the versions it was written on. */
  parentNonce: string;
  base: number;
  nonce: string;
  clock: number;
  updatedAt: string;
  /** The device table, whole in a checkpoint, the devices added in a delta. */
  ids: string[];
  /** In a delta, the changed devices (and only the results they gained). */
  devices: Record<string, StoredDevice>;
  /** In a delta, the keys it registered. */
  keys: StoredKeys;
}

interface CheckpointFile extends Header {
  kind: 'checkpoint';
  /** The lowest version that may still hold a file. */
  previous: number;
  /** The checkpoint before this one. */
  prior: number;
  state: JsonObject;
}

interface DeltaFile extends Header {
  kind: 'delta';
  /** RFC 6902, from the parent's state to this version's. */
  patch: PatchOperation[];
  /** Keys folded at or before this clock are dropped (their TTL ran out). */
  expire?: number;
}

/** A version file as read: a whole version, or a delta that needs its parent. */
export type StoredVersion =
  { kind: 'checkpoint'; version: VersionFile } | { kind: 'delta'; file: DeltaFile; bytes: number };

/**
 * The file for `next`, folded onto `parent`: a delta when the parent is
 * format 2, the chain's bytes with it stay within its checkpoint's and the
 * chain stays within `checkpointEvery` deltas, else a checkpoint (see
 * [when a writer writes a checkpoint](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#when-a-writer-writes-a-checkpoint)). A checkpoint's `previous` moves up to what the parent let go once
 * `removedBelow` (how far this device's removal got) shows it is gone.
 * Returns the body and `next` with how it is stored.
 */
export function encodeVersion(
  next: VersionFile,
  parent: VersionFile,
  checkpointEvery = Infinity,
  removedBelow = 0,
): { body: string; version: VersionFile } {
  const chain = parent.chain;
  if (chain !== undefined && next.version - chain.base <= checkpointEvery) {
    const delta = encodeDelta(next, parent, chain);
    if (delta !== undefined) {
      const bytes = byteLength(delta.body);
      if (chain.chainBytes + bytes <= chain.baseBytes) {
        const ids = [...chain.ids, ...delta.added];
        return {
          body: delta.body,
          version: { ...next, chain: { ...chain, ids, chainBytes: chain.chainBytes + bytes } },
        };
      }
    }
  }
  const ids: string[] = [];
  // A format-1 parent leaves its whole history, from version 1, to be removed.
  const first = parent.version === 0 ? next.version : 1;
  const lowest =
    chain === undefined
      ? first
      : Math.max(chain.previous, Math.min(removedBelow, removableBelow(parent)));
  const file: CheckpointFile = {
    format: 2,
    kind: 'checkpoint',
    ...header(next, parent, next.version),
    previous: lowest,
    prior: chain?.base ?? lowest,
    ids,
    devices: mapValues(next.devices, storeDevice),
    keys: encodeKeys(next.keys.entries(), ids),
    state: next.state,
  };
  const body = JSON.stringify(file);
  return { body, version: { ...next, chain: checkpointChain(file, byteLength(body)) } };
}

/** Parses `v/{n}/state.json`, either format; a newer format stops sync with `remote-protocol`. */
export function decodeStored(n: number, body: string): StoredVersion {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (cause) {
    throw brokenVersion(n, 'not JSON', cause);
  }
  const format = isObject(value) ? value['format'] : undefined;
  if (typeof format === 'number' && format > remoteFormat) {
    throw brokenVersion(
      n,
      `format ${format} is newer than this worker understands; update the app`,
    );
  }
  if (format === 1) return { kind: 'checkpoint', version: decodeFormat1(n, value) };
  const file = checkHeader(n, value);
  if (file.kind === 'checkpoint') {
    if (
      file.base !== n ||
      !isObject(file.state) ||
      !Number.isSafeInteger(file.previous) ||
      !Number.isSafeInteger(file.prior) ||
      file.prior > n
    ) {
      throw brokenVersion(n, 'malformed checkpoint');
    }
    const keys = new Map<string, KeyEntry>();
    decodeKeys(n, file.keys, file.ids, keys);
    const registry = KeyRegistry.of(keys);
    const version = content(file, mapValues(file.devices, loadDevice), registry, file.state);
    return {
      kind: 'checkpoint',
      version: { ...version, chain: checkpointChain(file, byteLength(body)) },
    };
  }
  if (file.kind !== 'delta' || !Array.isArray(file.patch) || file.base >= n) {
    throw brokenVersion(n, 'malformed delta');
  }
  if (file.expire !== undefined && !Number.isFinite(file.expire))
    throw brokenVersion(n, 'malformed expire');
  return { kind: 'delta', file, bytes: byteLength(body) };
}

/**
 * Version `file` applied to its parent. A parent that is not the one the
 * delta was written on (another number, nonce or chain) is a
 * `remote-fork`: the remote's history is not one line.
 */
export function applyDelta(parent: VersionFile, file: DeltaFile, bytes: number): VersionFile {
  const n = file.version;
  const chain = parent.chain;
  if (
    chain === undefined ||
    file.parent !== parent.version ||
    file.parentNonce !== parent.nonce ||
    file.base !== chain.base
  ) {
    throw new SyncError(
      'remote-fork',
      `Version ${n} was written onto another version ${file.parent} than the remote holds: ` +
        'two claims of one number both won (a server whose MOVE checks, then renames)',
    );
  }
  let state: unknown;
  try {
    state = applyPatch(parent.state, file.patch);
  } catch (cause) {
    if (!(cause instanceof PatchError)) throw cause;
    throw brokenVersion(n, `its patch does not apply: ${cause.message}`, cause);
  }
  if (!isObject(state)) throw brokenVersion(n, 'its patch leaves no state object');
  const ids = [...chain.ids, ...file.ids];
  const added = new Map<string, KeyEntry>();
  decodeKeys(n, file.keys, ids, added);
  const keys = parent.keys.with(added, file.expire);
  const devices: Record<string, DeviceEntry> = { ...parent.devices };
  for (const [deviceId, changed] of Object.entries(file.devices)) {
    const entry = loadDevice(changed);
    const results = { ...parent.devices[deviceId]?.results, ...entry.results };
    for (const seq of Object.keys(results)) if (Number(seq) <= entry.acked) delete results[seq];
    setOwn(devices, deviceId, { ...entry, results });
  }
  return {
    ...content(file, devices, keys, state),
    chain: { ...chain, ids, chainBytes: chain.chainBytes + bytes },
  };
}

// Undefined when a device's entry changed in a way a delta cannot say (then a checkpoint says it).
function encodeDelta(
  next: VersionFile,
  parent: VersionFile,
  chain: Chain,
): { body: string; added: string[] } | undefined {
  const added = next.keys.addedTo(parent.keys);
  const expire = parent.keys.mayForget(next.keys.floor) ? next.keys.floor : undefined;
  const devices: Record<string, StoredDevice> = {};
  for (const [deviceId, entry] of Object.entries(next.devices)) {
    const before = parent.devices[deviceId];
    const gained = Object.entries(entry.results).filter(
      ([seq]) => before?.results[seq] === undefined,
    );
    const kept =
      before === undefined
        ? []
        : Object.keys(before.results).filter((seq) => Number(seq) > entry.acked);
    if (kept.some((seq) => entry.results[seq] === undefined)) return undefined;
    const same =
      before !== undefined &&
      before.seq === entry.seq &&
      before.t === entry.t &&
      before.at === entry.at &&
      before.acked === entry.acked &&
      gained.length === 0;
    if (!same)
      setOwn(devices, deviceId, storeDevice({ ...entry, results: Object.fromEntries(gained) }));
  }
  if (Object.keys(parent.devices).some((deviceId) => !Object.hasOwn(next.devices, deviceId))) {
    return undefined;
  }
  const ids = [...chain.ids];
  const keys = encodeKeys(added, ids);
  const file: DeltaFile = {
    format: 2,
    kind: 'delta',
    ...header(next, parent, chain.base),
    ids: ids.slice(chain.ids.length),
    devices,
    keys,
    patch: diffJson(parent.state, next.state),
    ...(expire === undefined ? {} : { expire }),
  };
  return { body: JSON.stringify(file), added: file.ids };
}

function header(next: VersionFile, parent: VersionFile, base: number) {
  const clock = next.clock ?? 0;
  return {
    version: next.version,
    parent: parent.version,
    parentNonce: parent.nonce,
    base,
    nonce: next.nonce,
    clock,
    updatedAt: new Date(clock).toISOString(),
  };
}

function content(
  file: Header,
  devices: Record<string, DeviceEntry>,
  keys: KeyRegistry,
  state: JsonObject,
): VersionFile {
  return {
    version: file.version,
    parent: file.parent,
    nonce: file.nonce,
    state,
    devices,
    keys,
    clock: file.clock,
    updatedAt: file.updatedAt,
  };
}

function checkpointChain(file: CheckpointFile, bytes: number): Chain {
  return {
    base: file.version,
    baseBytes: bytes,
    chainBytes: 0,
    previous: file.previous,
    prior: file.prior,
    ids: file.ids,
  };
}

function storeDevice(entry: DeviceEntry): StoredDevice {
  const results = Object.keys(entry.results).length === 0 ? {} : { results: entry.results };
  return {
    seq: entry.seq,
    t: entry.t,
    ...(entry.at === undefined ? {} : { at: entry.at }),
    ...(entry.acked === entry.seq ? {} : { acked: entry.acked }),
    ...results,
  };
}

function loadDevice(stored: StoredDevice): DeviceEntry {
  return {
    seq: stored.seq,
    t: stored.t,
    ...(stored.at === undefined ? {} : { at: stored.at }),
    acked: stored.acked ?? stored.seq,
    results: { ...stored.results },
  };
}

function checkHeader(n: number, value: unknown): CheckpointFile | DeltaFile {
  const broken = (why: string) => brokenVersion(n, why);
  if (!isObject(value) || value['format'] !== remoteFormat) throw broken('not a version file');
  const file = value as Partial<Header> & { kind?: unknown };
  if (file.version !== n) throw broken(`it says it is version ${String(file.version)}`);
  if (file.kind !== 'checkpoint' && file.kind !== 'delta')
    throw broken('neither checkpoint nor delta');
  if (file.parent !== n - 1 || !Number.isSafeInteger(file.base) || (file.base ?? n + 1) > n) {
    throw broken('malformed parent or base');
  }
  if (typeof file.nonce !== 'string' || typeof file.parentNonce !== 'string')
    throw broken('no nonce');
  if (typeof file.clock !== 'number' || !Number.isFinite(file.clock))
    throw broken('malformed clock');
  if (!Array.isArray(file.ids) || !file.ids.every((id) => typeof id === 'string')) {
    throw broken('malformed device table');
  }
  if (!isObject(file.devices) || !Object.values(file.devices).every(isStoredDevice)) {
    throw broken('malformed devices');
  }
  if (typeof file.updatedAt !== 'string') throw broken('no updatedAt');
  return value as unknown as CheckpointFile | DeltaFile;
}

function isStoredDevice(value: unknown): boolean {
  if (!isObject(value)) return false;
  const { seq, t, at, acked, results } = value;
  return (
    typeof seq === 'number' &&
    typeof t === 'number' &&
    (at === undefined || typeof at === 'number') &&
    (acked === undefined || typeof acked === 'number') &&
    (results === undefined || (isObject(results) && Object.values(results).every(isAnswer)))
  );
}

function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  const mapped: Record<string, U> = {};
  for (const [name, value] of Object.entries(record)) setOwn(mapped, name, map(value));
  return mapped;
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}
