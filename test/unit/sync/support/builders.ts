import { createHash } from 'node:crypto';
import type { Commands } from '../../../../src/actor/command.ts';
import type { JsonObject, Message } from '../../../../src/actor/message.ts';
import type { FoldInput } from '../../../../src/sync/fold.ts';
import type { LoggedMessage, Segment } from '../../../../src/sync/segmentFile.ts';
import type { SegmentName } from '../../../../src/sync/segmentName.ts';
import {
  genesisVersion,
  type DeviceEntry,
  type VersionFile,
} from '../../../../src/sync/versionFile.ts';

/** Device ids sort A < B < C, so ties in time resolve in that order. */
export const deviceA = 'aaaaaaaa-0000-4000-8000-000000000001';
export const deviceB = 'bbbbbbbb-0000-4000-8000-000000000002';
export const deviceC = 'cccccccc-0000-4000-8000-000000000003';

export const actorId = 'shop';
export const day = 24 * 60 * 60 * 1000;
/** The fold's `now` in every test: a fixed instant, so outputs can be compared. */
export const now = Date.UTC(2025, 0, 31, 12);

/** `add` appends `payload.v` to `state.log`, so the log shows the order messages were applied in. */
export const add = (v: string, ifMatch?: string): Message =>
  ifMatch === undefined
    ? { type: 'add', payload: { v } }
    : { type: 'add', payload: { v }, ifMatch };

/**
 * The commands the sync tests run: `add` (see above), `fail` always throws,
 * `scribble` mutates the state it was given and then throws.
 */
export function syncCommands() {
  const runs = { add: 0, fail: 0, scribble: 0 };
  const commands: Commands = {
    add: (state: { log?: string[] }, { v }: { v: string }) => {
      runs.add++;
      const log = [...(state.log ?? []), v];
      return { state: { ...state, log }, result: { length: log.length } };
    },
    fail: () => {
      runs.fail++;
      throw new Error('out of stock');
    },
    scribble: (state: JsonObject) => {
      runs.scribble++;
      state['scribbled'] = true;
      throw new Error('changed my mind');
    },
  };
  return { commands, runs };
}

/** One message of a segment; `key` defaults to the device's letter and the seq (`a1`, `b2`). */
export interface Item {
  at: number;
  key?: string;
  fingerprint?: string;
  message?: Message;
}

export function keyOf(deviceId: string, seq: number): string {
  return `${deviceId.slice(0, 1)}${seq}`;
}

/** A segment of `deviceId` holding `items` as seqs `first, first + 1, …`. */
export function segment(deviceId: string, first: number, items: Item[], actor = actorId): Segment {
  const messages: LoggedMessage[] = items.map((item, index) => {
    const seq = first + index;
    const key = item.key ?? keyOf(deviceId, seq);
    return {
      seq,
      key,
      fingerprint: item.fingerprint ?? `fp:${key}`,
      message: item.message ?? add(key),
      at: item.at,
    };
  });
  return { format: 1, actorId: actor, deviceId, first, last: first + items.length - 1, messages };
}

export function deviceEntry(entry: Partial<DeviceEntry> = {}): DeviceEntry {
  return { seq: 0, t: 0, results: {}, acked: 0, ...entry };
}

/** A version `n` with the given fields over a genesis base. */
export function version(n: number, fields: Partial<VersionFile> = {}): VersionFile {
  return { ...genesisVersion(), version: n, parent: n - 1, nonce: `nonce-${n}`, ...fields };
}

/** Everything `fold` needs, with test defaults; folding device A, nothing acknowledged. */
export function foldInput(fields: Partial<FoldInput> = {}): FoldInput {
  return {
    head: genesisVersion(),
    segments: [],
    actorId,
    commands: syncCommands().commands,
    commandsVersion: 0,
    scope: '/actors/',
    turnTimeoutMs: 1000,
    remoteKeyTtlMs: 30 * day,
    retireAfterMs: 30 * day,
    self: { deviceId: deviceA, acked: 0 },
    nonce: 'nonce-next',
    clock: now,
    ...fields,
  };
}

/** Hex SHA-256 by node:crypto, independent of the library's Web Crypto helper. */
export function nodeSha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** A segment name for `body` whose hash is right, with any other field overridden. */
export function namedFor(body: string, fields: Partial<SegmentName> = {}): SegmentName {
  const named = { deviceId: deviceA, first: 1, last: 1, hash8: nodeSha256(body).slice(0, 8) };
  const merged = { ...named, ...fields };
  return {
    name: `${merged.deviceId}.${merged.first}-${merged.last}.${merged.hash8}.json`,
    ...merged,
  };
}

/** The parsed body of a stored answer. */
export function bodyOf(answer: { body: string } | undefined): Record<string, unknown> {
  if (answer === undefined) throw new Error('no answer');
  return JSON.parse(answer.body) as Record<string, unknown>;
}
