import { describe, expect, it } from 'vitest';
import { taskType } from '../../../src/actor/message.ts';
import { isSyncError } from '../../../src/errors/SyncError.ts';
import { atClock, fold } from '../../../src/sync/fold.ts';
import { shortFingerprint, sameFingerprint } from '../../../src/sync/storedKeys.ts';
import {
  applyDelta,
  decodeStored,
  encodeVersion,
  type StoredVersion,
} from '../../../src/sync/storedVersion.ts';
import { genesisVersion, type KeyEntry, type VersionFile } from '../../../src/sync/versionFile.ts';
import { day, deviceA, deviceB, foldInput, nodeSha256, now, segment } from './support/builders.ts';
import { keyRecord, keysOf } from './support/keys.ts';

const forgetting = { remoteKeyTtlMs: 3 * day, retireAfterMs: 30 * day };

/** Folds `rounds` rounds of `perRound` tasks from two devices, each version encoded and read back. */
async function chain(
  rounds: number,
  perRound: number,
  stepMs = 60_000,
  checkpointEvery = Infinity,
) {
  let head = genesisVersion();
  const seq = { [deviceA]: 0, [deviceB]: 0 };
  const stored: { body: string; version: VersionFile }[] = [];
  for (let round = 0; round < rounds; round++) {
    const clock = now + round * stepMs;
    const deviceId = round % 2 === 0 ? deviceA : deviceB;
    const first = (seq[deviceId] ?? 0) + 1;
    const items = Array.from({ length: perRound }, (_, i) => {
      const key = crypto.randomUUID();
      return {
        at: clock,
        key,
        fingerprint: nodeSha256(key),
        message: { type: taskType, payload: { n: first + i } },
      };
    });
    seq[deviceId] = first + perRound - 1;
    const draft = (
      await fold(
        foldInput({
          head,
          segments: [segment(deviceId, first, items)],
          nonce: `nonce-${round + 1}`,
          clock,
          ...forgetting,
          self: { deviceId, acked: 0 },
        }),
      )
    ).next;
    if (draft === undefined) throw new Error('nothing folded');
    const encoded = encodeVersion(atClock(draft, head, clock, forgetting), head, checkpointEvery);
    stored.push(encoded);
    head = encoded.version;
  }
  return stored;
}

/** The versions' content, read from their files alone, in order. */
function readBack(files: readonly { body: string }[]): VersionFile[] {
  const read: VersionFile[] = [];
  files.forEach(({ body }, index) => {
    const stored: StoredVersion = decodeStored(index + 1, body);
    const parent = read.at(-1);
    if (stored.kind === 'checkpoint') read.push(stored.version);
    else if (parent === undefined) throw new Error('a delta first');
    else read.push(applyDelta(parent, stored.file, stored.bytes));
  });
  return read;
}

const kindOf = (body: string) => (JSON.parse(body) as { kind: string }).kind;

describe('format 2 (DESIGN.md §6a)', () => {
  it('reads back from its files exactly what was folded, through checkpoints and deltas', async () => {
    const files = await chain(40, 5);
    expect(readBack(files)).toEqual(files.map((file) => file.version));
    const kinds = files.map((file) => kindOf(file.body));
    expect(kinds[0]).toBe('checkpoint');
    expect(kinds.filter((kind) => kind === 'checkpoint').length).toBeGreaterThan(1);
    expect(kinds.filter((kind) => kind === 'delta').length).toBeGreaterThan(20);
  });

  it('writes a checkpoint only once the chain would outgrow the last one', async () => {
    const files = await chain(60, 5);
    files.forEach((file, index) => {
      const parent = files[index - 1]?.version.chain;
      if (parent === undefined) return;
      const bytes = new TextEncoder().encode(file.body).byteLength;
      const delta = kindOf(file.body) === 'delta';
      if (delta) expect(parent.chainBytes + bytes).toBeLessThanOrEqual(parent.baseBytes);
      expect(file.version.chain?.base).toBe(delta ? parent.base : index + 1);
      if (!delta) expect(file.version.chain?.prior).toBe(parent.base);
      // Nothing removed yet: the lowest version that may hold a file stays the first.
      if (!delta) expect(file.version.chain?.previous).toBe(1);
    });
  });

  it('writes a checkpoint at least every checkpointEvery versions, whatever the bytes', async () => {
    const longest = (files: { version: VersionFile }[]) =>
      Math.max(...files.map(({ version }) => version.version - (version.chain?.base ?? 0)));
    expect(longest(await chain(40, 1))).toBeGreaterThan(3);
    const capped = await chain(40, 1, 60_000, 3);
    expect(longest(capped)).toBe(3);
    expect(readBack(capped)).toEqual(capped.map((file) => file.version));
  });

  it('appends a task with add /tasks/-, and drops expired keys with one expire clock', async () => {
    const files = await chain(8, 2, day);
    const deltas = files.map((file) => JSON.parse(file.body) as Record<string, unknown>);
    const delta = deltas.find((file) => file['kind'] === 'delta' && file['expire'] !== undefined);
    if (delta === undefined) throw new Error('no delta dropped keys');
    expect(delta['patch']).toEqual([
      { op: 'add', path: '/tasks/-', value: expect.anything() as unknown },
      { op: 'add', path: '/tasks/-', value: expect.anything() as unknown },
    ]);
    const version = files[(delta['version'] as number) - 1]?.version;
    for (const [, entry] of version?.keys.entries() ?? []) {
      expect(entry[3]).toBeGreaterThan(delta['expire'] as number);
    }
  });

  it('stores a UUID key with a six-digit seq in at most 80 bytes', () => {
    const head = genesisVersion();
    const keys: Record<string, KeyEntry> = {};
    for (let i = 0; i < 1000; i++) {
      const key = crypto.randomUUID();
      keys[key] = [nodeSha256(key), i % 2 ? deviceA : deviceB, 100_000 + i, now, 201];
    }
    const empty = encodeVersion({ ...head, version: 1, parent: 0, nonce: 'n', clock: now }, head);
    const full = encodeVersion(
      { ...head, version: 1, parent: 0, nonce: 'n', clock: now, keys: keysOf(keys) },
      head,
    );
    const perKey = (full.body.length - empty.body.length) / 1000;
    expect(perKey).toBeLessThanOrEqual(80);
    expect(Object.keys(keyRecord(full.version.keys))).toHaveLength(1000);
  });

  it('keeps 108 bits of a fingerprint, and matches it against the whole one', () => {
    const whole = nodeSha256('request');
    const short = shortFingerprint(whole);
    expect(short).toMatch(/^[A-Za-z0-9_-]{18}$/);
    expect(short).toBe(shortFingerprint(whole));
    expect(shortFingerprint('fp:a1')).toBe('fp:a1');
    expect(sameFingerprint(short, whole)).toBe(true);
    expect(sameFingerprint(whole, whole)).toBe(true);
    expect(sameFingerprint(short, nodeSha256('another'))).toBe(false);
  });

  it('refuses a delta on a parent it was not written on: remote-fork', async () => {
    const files = await chain(3, 1);
    const third = decodeStored(3, files[2]?.body ?? '');
    const second = files[1]?.version;
    if (third.kind !== 'delta' || second === undefined) throw new Error('expected a delta');
    expect(() => applyDelta({ ...second, nonce: 'another' }, third.file, third.bytes)).toThrow(
      expect.objectContaining({ code: 'remote-fork' }) as Error,
    );
  });

  it.each<[string, string, RegExp]>([
    ['a newer format', '{"format": 3}', /format 3 is newer/],
    ['not JSON', '{"format": 2', /not JSON/],
    ['no kind', '{"format": 2, "version": 1}', /neither checkpoint nor delta/],
    [
      'a delta whose base is itself',
      JSON.stringify({
        format: 2,
        kind: 'delta',
        version: 1,
        parent: 0,
        parentNonce: '',
        base: 1,
        nonce: 'n',
        clock: now,
        updatedAt: '',
        ids: [],
        devices: {},
        keys: {},
        patch: [],
      }),
      /malformed delta/,
    ],
    [
      'a key naming no device',
      JSON.stringify({
        format: 2,
        kind: 'checkpoint',
        version: 1,
        parent: 0,
        parentNonce: '',
        base: 1,
        previous: 1,
        prior: 1,
        nonce: 'n',
        clock: now,
        updatedAt: '',
        ids: [],
        devices: {},
        keys: { [String(now)]: { k: ['fp', 0, 1, 201] } },
        state: {},
      }),
      /malformed key k/,
    ],
  ])('refuses %s: remote-protocol', (_why, body, message) => {
    try {
      decodeStored(1, body);
    } catch (error) {
      expect(isSyncError(error) && error.code).toBe('remote-protocol');
      expect((error as Error).message).toMatch(message);
      return;
    }
    throw new Error('expected a refusal');
  });
});
