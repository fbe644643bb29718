import { describe, expect, it } from 'vitest';
import { isSyncError } from '../../../src/errors/SyncError.ts';
import { decodeStored } from '../../../src/sync/storedVersion.ts';
import { genesisVersion, type VersionFile } from '../../../src/sync/versionFile.ts';
import { deviceA, deviceB, deviceEntry, now, version } from './support/builders.ts';
import type { KeyRegistry } from '../../../src/sync/KeyRegistry.ts';
import { keyRecord, keysOf } from './support/keys.ts';

/** A format-1 file (DESIGN.md §5), read as a checkpoint (DESIGN.md §6a). */
function decodeVersion(n: number, body: string): VersionFile {
  const stored = decodeStored(n, body);
  if (stored.kind !== 'checkpoint') throw new Error('a format-1 file read as a delta');
  return stored.version;
}

/** The text a format-1 remote holds for a version. */
const format1 = <T extends { keys: KeyRegistry }>(version: T): string =>
  JSON.stringify({ format: 1, ...version, keys: keyRecord(version.keys) });

const good = (): VersionFile =>
  version(7, {
    state: { log: ['a1'] },
    devices: {
      [deviceA]: deviceEntry({
        seq: 1,
        t: now,
        acked: 0,
        results: {
          '1': { status: 200, headers: [['content-type', 'application/json']], body: '{}' },
        },
      }),
      [deviceB]: deviceEntry({ seq: 4, t: now - 1, acked: 4 }),
    },
    keys: keysOf({ a1: ['fp', deviceA, 1, now, 200] }),
    updatedAt: new Date(now).toISOString(),
  });

/** The message `decodeVersion` threw, failing the test when it did not throw a SyncError. */
function rejection(n: number, body: string): string {
  try {
    decodeVersion(n, body);
  } catch (error) {
    if (!isSyncError(error)) throw error;
    expect(error.code).toBe('remote-protocol');
    return error.message;
  }
  throw new Error('expected decodeVersion to throw');
}

/** `good()` with one change, as the text a remote would hold. */
function spoiled(change: (file: Record<string, unknown>) => void): string {
  const version = good();
  const file = { format: 1, ...version, keys: keyRecord(version.keys) } as Record<string, unknown>;
  change(file);
  return JSON.stringify(file);
}

describe('decodeVersion', () => {
  it('accepts a good version file', () => {
    expect(decodeVersion(7, format1(good()))).toEqual(good());
  });

  it('accepts genesis as version 0', () => {
    expect(decodeVersion(0, format1(genesisVersion()))).toEqual(genesisVersion());
  });

  it('refuses a newer format and says so', () => {
    const message = rejection(7, format1({ ...good(), format: 3 }));
    expect(message).toMatch(/format 3 is newer than this worker understands/);
    expect(message).toMatch(/update the app/);
  });

  it('refuses a file that is not a version file', () => {
    expect(rejection(7, format1({ ...good(), format: 0 }))).toMatch(/not a version file/);
    expect(rejection(7, format1({ ...good(), format: '1' }))).toMatch(/not a version file/);
    expect(rejection(7, 'null')).toMatch(/not a version file/);
    expect(rejection(7, '[]')).toMatch(/not a version file/);
  });

  it('refuses a version number that differs from its path', () => {
    expect(rejection(8, format1(good()))).toMatch(/Version 8 .*says it is version 7/);
    expect(
      rejection(
        7,
        spoiled((f) => void (f['version'] = '7')),
      ),
    ).toMatch(/says it is version 7/);
  });

  it('refuses a missing nonce or a state that is not an object', () => {
    expect(
      rejection(
        7,
        spoiled((f) => void delete f['nonce']),
      ),
    ).toMatch(/no nonce or state/);
    expect(
      rejection(
        7,
        spoiled((f) => void (f['state'] = [])),
      ),
    ).toMatch(/no nonce or state/);
    expect(
      rejection(
        7,
        spoiled((f) => void (f['state'] = null)),
      ),
    ).toMatch(/no nonce or state/);
  });

  it.each<[string, (devices: Record<string, Record<string, unknown>>) => void]>([
    ['a string watermark', (d) => void (d[deviceA]!['seq'] = '1')],
    ['no t', (d) => void delete d[deviceA]!['t']],
    ['no acked', (d) => void delete d[deviceB]!['acked']],
    ['results is an array', (d) => void (d[deviceA]!['results'] = [])],
    [
      'an entry that is null',
      (d) => void (d[deviceA] = null as unknown as Record<string, unknown>),
    ],
  ])('refuses malformed devices: %s', (_why, change) => {
    const body = spoiled((file) =>
      change(file['devices'] as Record<string, Record<string, unknown>>),
    );
    expect(rejection(7, body)).toMatch(/malformed devices/);
  });

  it('refuses devices that are not an object', () => {
    expect(
      rejection(
        7,
        spoiled((f) => void (f['devices'] = [])),
      ),
    ).toMatch(/malformed devices/);
    expect(
      rejection(
        7,
        spoiled((f) => void delete f['devices']),
      ),
    ).toMatch(/malformed devices/);
  });

  it.each<[string, unknown]>([
    ['a string status', { status: '200', headers: [], body: '' }],
    ['a body that is not text', { status: 200, headers: [], body: {} }],
    ['headers that are not pairs', { status: 200, headers: [['a']], body: '' }],
    ['a header value that is not text', { status: 200, headers: [['a', 1]], body: '' }],
    ['headers as an object', { status: 200, headers: { a: 'b' }, body: '' }],
    ['null', null],
  ])('refuses malformed results: %s', (_why, answer) => {
    const body = spoiled((file) => {
      const devices = file['devices'] as Record<string, { results: Record<string, unknown> }>;
      devices[deviceA]!.results['1'] = answer;
    });
    expect(rejection(7, body)).toMatch(/malformed devices/);
  });

  it.each<[string, unknown]>([
    ['two fields', ['fp', deviceA]],
    ['three fields with a string seq', ['fp', deviceA, '1']],
    ['four fields (the earlier format, without a status)', ['fp', deviceA, 1, now]],
    ['six fields', ['fp', deviceA, 1, now, 200, 0]],
    ['a string seq', ['fp', deviceA, '1', now, 200]],
    ['a numeric fingerprint', [1, deviceA, 1, now, 200]],
    ['a numeric device id', ['fp', 1, 1, now, 200]],
    ['a string time', ['fp', deviceA, 1, 'now', 200]],
    ['a string status', ['fp', deviceA, 1, now, '200']],
    ['a null status', ['fp', deviceA, 1, now, null]],
    ['an object', { fingerprint: 'fp' }],
  ])('refuses malformed keys: %s', (_why, entry) => {
    const body = spoiled((file) => void ((file['keys'] as Record<string, unknown>)['a1'] = entry));
    expect(rejection(7, body)).toMatch(/malformed keys/);
  });

  it('accepts a registry entry of [fingerprint, deviceId, seq, foldedAt, status]', () => {
    const body = spoiled((file) => {
      (file['keys'] as Record<string, unknown>)['b4'] = ['fp-b', deviceB, 4, now - 1, 409];
    });
    expect(keyRecord(decodeVersion(7, body).keys)).toEqual({
      a1: ['fp', deviceA, 1, now, 200],
      b4: ['fp-b', deviceB, 4, now - 1, 409],
    });
  });

  it('accepts DESIGN.md §5 entries [fingerprint, deviceId, seq]: folded at the clock, with the carried status', () => {
    const short = (clock?: number) =>
      spoiled((file) => {
        const keys = file['keys'] as Record<string, unknown>;
        keys['a1'] = ['fp', deviceA, 1];
        keys['b3'] = ['fp-b', deviceB, 3];
        if (clock !== undefined) file['clock'] = clock;
      });
    // A's answer 1 is carried (200); B's 3 is not, so it counts as done.
    expect(keyRecord(decodeVersion(7, short(now + 5)).keys)).toEqual({
      a1: ['fp', deviceA, 1, now + 5, 200],
      b3: ['fp-b', deviceB, 3, now + 5, 200],
    });
    // Without a clock, the version's updatedAt.
    expect(keyRecord(decodeVersion(7, short()).keys)['b3']).toEqual(['fp-b', deviceB, 3, now, 200]);
    const undated = spoiled((file) => {
      (file['keys'] as Record<string, unknown>)['a1'] = ['fp', deviceA, 1];
      file['updatedAt'] = 'yesterday';
    });
    expect(rejection(7, undated)).toMatch(/keys without foldedAt/);
  });

  it('refuses keys that are not an object', () => {
    expect(
      rejection(
        7,
        spoiled((f) => void (f['keys'] = [])),
      ),
    ).toMatch(/malformed keys/);
  });

  it('accepts a clock, and a version without one (written before clocks), but refuses a bad clock', () => {
    const clocked = { ...good(), clock: now };
    expect(decodeVersion(7, format1(clocked))).toEqual(clocked);
    expect(decodeVersion(7, format1(good())).clock).toBeUndefined();
    for (const clock of ['2025-01-31', null, {}]) {
      expect(rejection(7, format1({ ...good(), clock }))).toMatch(/malformed clock/);
    }
  });

  it('refuses a body that is not JSON', () => {
    expect(rejection(3, '{"format": 1,')).toMatch(/Version 3 is unusable: not JSON/);
    expect(rejection(3, '')).toMatch(/not JSON/);
  });
});

describe('genesisVersion', () => {
  it('is version 0 with parent -1, an empty state and nothing known', () => {
    expect(genesisVersion()).toEqual({
      version: 0,
      parent: -1,
      nonce: '',
      state: {},
      devices: {},
      keys: keysOf({}),
      updatedAt: '1970-01-01T00:00:00.000Z',
    });
  });

  it('is a fresh object on every call', () => {
    const first = genesisVersion();
    first.state['x'] = 1;
    first.devices[deviceA] = deviceEntry();
    expect(genesisVersion()).toMatchObject({ state: {}, devices: {} });
  });
});
