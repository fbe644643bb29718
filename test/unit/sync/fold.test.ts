import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/actor/canonicalJson.ts';
import { stateEtag } from '../../../src/actor/stateEtag.ts';
import type { Commands } from '../../../src/actor/command.ts';
import type { Message } from '../../../src/actor/message.ts';
import type { StoredAnswer } from '../../../src/http/answer.ts';
import type { HeldBack } from '../../../src/http/types.ts';
import { atClock, fold } from '../../../src/sync/fold.ts';
import { encodeSegment, type Segment } from '../../../src/sync/segmentFile.ts';
import { parseSegmentName, type SegmentName } from '../../../src/sync/segmentName.ts';
import { selectRuns } from '../../../src/sync/selectRuns.ts';
import { genesisVersion, versionClock, type VersionFile } from '../../../src/sync/versionFile.ts';
import {
  add,
  bodyOf,
  day,
  deviceA,
  deviceB,
  deviceC,
  deviceEntry,
  foldInput,
  now,
  segment,
  syncCommands,
  version,
} from './support/builders.ts';
import { keyRecord, keysOf } from './support/keys.ts';

/** Folds and fails the test when there was nothing to fold; also returns what the fold held back. */
async function mustFoldHolding(
  ...args: Parameters<typeof foldInput>
): Promise<[VersionFile, HeldBack[]]> {
  const { next, heldBack } = await fold(foldInput(...args));
  if (next === undefined) throw new Error('expected a new version');
  return [next, heldBack];
}

async function mustFold(...args: Parameters<typeof foldInput>): Promise<VersionFile> {
  return (await mustFoldHolding(...args))[0];
}

/** What B's run at seq 2 (key b2) was held back as. */
const heldB2 = (type: string, code: HeldBack['code'], commandsVersion = 0): HeldBack => ({
  deviceId: deviceB,
  own: false,
  seq: 2,
  key: 'b2',
  type,
  code,
  commandsVersion,
});

/** Every acceptance time below is relative to this: a day before the fold's `now`. */
const T0 = now - day;

const logOf = (file: VersionFile) => file.state['log'];

const original: StoredAnswer = {
  status: 200,
  headers: [['content-type', 'application/json']],
  body: '{"key":"k1","status":"done","result":{"length":1}}',
};

describe('fold: order', () => {
  it('merges devices by (clamped time, deviceId, seq), clamping a clock that goes back', async () => {
    const next = await mustFold({
      segments: [
        // A's clock goes back at seq 2: it is clamped to 100, not sorted before B's 60.
        segment(deviceA, 1, [{ at: T0 + 100 }, { at: T0 + 50 }, { at: T0 + 120 }]),
        segment(deviceB, 1, [{ at: T0 + 60 }, { at: T0 + 110 }]),
      ],
    });
    expect(logOf(next)).toEqual(['b1', 'a1', 'a2', 'b2', 'a3']);
    expect(next.devices[deviceA]).toMatchObject({ seq: 3, t: T0 + 120 });
    expect(next.devices[deviceB]).toMatchObject({ seq: 2, t: T0 + 110 });
  });

  it('breaks time ties by device id, then by seq', async () => {
    const next = await mustFold({
      segments: [
        segment(deviceB, 1, [{ at: T0 + 100 }, { at: T0 + 100 }]),
        segment(deviceA, 1, [{ at: T0 + 100 }, { at: T0 + 100 }]),
        segment(deviceC, 1, [{ at: T0 + 90 }]),
      ],
    });
    expect(logOf(next)).toEqual(['c1', 'a1', 'a2', 'b1', 'b2']);
  });

  it("starts a device's clamp at the head's devices[D].t, so its late clock cannot go back", async () => {
    const head = version(1, {
      state: { log: ['a1'] },
      devices: { [deviceA]: deviceEntry({ seq: 1, t: T0 + 200, acked: 1 }) },
      keys: keysOf({ a1: ['fp:a1', deviceA, 1, T0 + 200, 200] }),
    });
    const next = await mustFold({
      head,
      segments: [
        segment(deviceA, 2, [{ at: T0 + 150 }, { at: T0 + 160 }, { at: T0 + 250 }]),
        segment(deviceB, 1, [{ at: T0 + 180 }, { at: T0 + 210 }]),
      ],
    });
    // A's 150 and 160 count as 200: after B's 180, before B's 210.
    expect(logOf(next)).toEqual(['a1', 'b1', 'a2', 'a3', 'b2', 'a4']);
    expect(next.devices[deviceA]).toMatchObject({ seq: 4, t: T0 + 250 });
  });

  it("keeps the clamped time as the device's t when its clock stays behind", async () => {
    const head = version(1, { devices: { [deviceA]: deviceEntry({ seq: 1, t: T0 + 500 }) } });
    const next = await mustFold({ head, segments: [segment(deviceA, 2, [{ at: T0 + 100 }])] });
    expect(next.devices[deviceA]).toMatchObject({ seq: 2, t: T0 + 500 });
  });

  it('appends a device that was offline for days after the head, never inside its history', async () => {
    const head = version(3, {
      state: { log: ['b1', 'b2', 'b3'] },
      devices: { [deviceB]: deviceEntry({ seq: 3, t: now - day, acked: 3 }) },
      keys: keysOf({
        b1: ['fp:b1', deviceB, 1, now - 3 * day, 200],
        b2: ['fp:b2', deviceB, 2, now - 2 * day, 200],
        b3: ['fp:b3', deviceB, 3, now - day, 200],
      }),
    });
    // A accepted its messages five and four days ago, before all of B's.
    const next = await mustFold({
      head,
      segments: [segment(deviceA, 1, [{ at: now - 5 * day }, { at: now - 4 * day }])],
    });
    expect(logOf(next)).toEqual(['b1', 'b2', 'b3', 'a1', 'a2']);
    // Unchanged, only stamped with the clock it is known at (its head entry had none).
    expect(next.devices[deviceB]).toEqual({ ...head.devices[deviceB], at: now });
  });
});

describe('fold: gaps', () => {
  it("never jumps a gap: a device's segments after a missing range wait, others still fold", async () => {
    const segments: Segment[] = [
      segment(deviceA, 1, [{ at: T0 + 10 }, { at: T0 + 11 }]),
      // A's 3-4 is missing from the remote.
      segment(deviceA, 5, [{ at: T0 + 15 }, { at: T0 + 16 }]),
      segment(deviceB, 1, [{ at: T0 + 12 }]),
      segment(deviceB, 2, [{ at: T0 + 13 }, { at: T0 + 14 }]),
    ];
    const byName = new Map<string, Segment>();
    const listing: SegmentName[] = [];
    for (const one of segments) {
      const named = parseSegmentName((await encodeSegment(one)).name);
      if (named === undefined) throw new Error('unparsable segment name');
      listing.push(named);
      byName.set(named.name, one);
    }
    const head = genesisVersion();
    const { runs, conflicted } = selectRuns(head, listing.reverse());
    expect(conflicted).toEqual([]);
    expect(runs.map(({ deviceId, first, last }) => [deviceId, first, last])).toEqual([
      [deviceA, 1, 2],
      [deviceB, 1, 1],
      [deviceB, 2, 3],
    ]);
    const next = await mustFold({
      head,
      segments: runs.map((named) => byName.get(named.name) as Segment),
    });
    expect(logOf(next)).toEqual(['a1', 'a2', 'b1', 'b2', 'b3']);
    expect(next.devices[deviceA]?.seq).toBe(2);
    expect(next.devices[deviceB]?.seq).toBe(3);
    expect(next.keys.get('a5')).toBeUndefined();
  });
});

describe('fold: the remote key registry', () => {
  const headWithK1 = (results: Record<string, StoredAnswer>, acked: number) =>
    version(1, {
      state: { log: ['x'] },
      devices: { [deviceA]: deviceEntry({ seq: 1, t: T0 + 100, results, acked }) },
      keys: keysOf({ k1: ['fp-1', deviceA, 1, T0 + 100, 200] }),
    });

  it("replays a known key with the same fingerprint: no second effect, the original's answer", async () => {
    const { commands, runs } = syncCommands();
    const head = headWithK1({ '1': original }, 0);
    const next = await mustFold({
      head,
      commands,
      self: { deviceId: deviceB, acked: 0 },
      segments: [segment(deviceB, 1, [{ at: T0 + 200, key: 'k1', fingerprint: 'fp-1' }])],
    });
    expect(runs.add).toBe(0);
    expect(next.state).toEqual({ log: ['x'] });
    expect(next.devices[deviceB]?.results['1']).toEqual(original);
    expect(next.devices[deviceB]).toMatchObject({ seq: 1, t: T0 + 200 });
    expect(next.keys.get('k1')).toEqual(['fp-1', deviceA, 1, T0 + 100, 200]);
  });

  it("synthesizes a replay answer with the original's status once its answer is no longer carried", async () => {
    const { commands, runs } = syncCommands();
    // The answers of A's seqs 1-3 were acknowledged and dropped; the registry still has the keys.
    const head = version(3, {
      state: { log: ['x'] },
      devices: { [deviceA]: deviceEntry({ seq: 3, t: T0 + 100, acked: 3 }) },
      keys: keysOf({
        k1: ['fp-1', deviceA, 1, T0 + 100, 200],
        t2: ['fp-2', deviceA, 2, T0 + 100, 201],
        f3: ['fp-3', deviceA, 3, T0 + 100, 409],
      }),
    });
    const next = await mustFold({
      head,
      commands,
      self: { deviceId: deviceB, acked: 0 },
      segments: [
        segment(deviceB, 1, [
          { at: T0 + 200, key: 'k1', fingerprint: 'fp-1' },
          { at: T0 + 201, key: 't2', fingerprint: 'fp-2', message: { type: '@task', payload: {} } },
          { at: T0 + 202, key: 'f3', fingerprint: 'fp-3', message: { type: 'fail', payload: {} } },
        ]),
      ],
    });
    expect(runs).toMatchObject({ add: 0, fail: 0 });
    expect(next.state).toEqual({ log: ['x'] });
    const results = next.devices[deviceB]?.results ?? {};
    const expected: [string, string, number, string][] = [
      ['1', 'k1', 200, 'done'],
      ['2', 't2', 201, 'done'],
      ['3', 'f3', 409, 'failed'],
    ];
    for (const [seq, key, status, outcome] of expected) {
      const answer = results[seq];
      expect(answer?.status).toBe(status);
      expect(answer?.headers).toContainEqual(['location', `/actors/shop/tasks/${key}`]);
      expect(bodyOf(answer)).toEqual({ key, status: outcome, result: null, replayed: true });
    }
    // A replay registers nothing new: the registry keeps the originals.
    expect(keyRecord(next.keys)).toEqual(keyRecord(head.keys));
  });

  it('replays with the status the registry recorded, not one guessed from the message type', async () => {
    // A @task key whose original answer was refused (412): its replay says 412 failed, not 201.
    const head = version(1, {
      devices: { [deviceA]: deviceEntry({ seq: 1, t: T0, acked: 1 }) },
      keys: keysOf({ t1: ['fp-t', deviceA, 1, T0, 412] }),
    });
    const next = await mustFold({
      head,
      segments: [
        segment(deviceB, 1, [
          { at: T0 + 1, key: 't1', fingerprint: 'fp-t', message: { type: '@task', payload: {} } },
        ]),
      ],
    });
    const answer = next.devices[deviceB]?.results['1'];
    expect(answer?.status).toBe(412);
    expect(bodyOf(answer)).toEqual({ key: 't1', status: 'failed', result: null, replayed: true });
    expect(next.state).toEqual({});
  });

  it('answers a known key with a different fingerprint 422 key-reused, with no effect', async () => {
    const { commands, runs } = syncCommands();
    const head = headWithK1({ '1': original }, 0);
    const next = await mustFold({
      head,
      commands,
      segments: [segment(deviceB, 1, [{ at: T0 + 200, key: 'k1', fingerprint: 'fp-other' }])],
    });
    expect(runs.add).toBe(0);
    expect(next.state).toEqual({ log: ['x'] });
    const answer = next.devices[deviceB]?.results['1'];
    expect(answer?.status).toBe(422);
    expect(answer?.headers).toContainEqual(['content-type', 'application/problem+json']);
    expect(bodyOf(answer)).toMatchObject({ code: 'key-reused', instance: '/actors/shop/tasks/k1' });
    expect(next.keys.get('k1')).toEqual(['fp-1', deviceA, 1, T0 + 100, 200]);
  });

  it('registers a new key once: the same key from a second device in the same fold replays', async () => {
    const { commands, runs } = syncCommands();
    const next = await mustFold({
      commands,
      segments: [
        segment(deviceA, 1, [{ at: T0 + 10, key: 'dup', fingerprint: 'fp-dup' }]),
        segment(deviceB, 1, [{ at: T0 + 20, key: 'dup', fingerprint: 'fp-dup' }]),
      ],
    });
    expect(runs.add).toBe(1);
    expect(logOf(next)).toEqual(['dup']);
    expect(next.keys.get('dup')).toEqual(['fp-dup', deviceA, 1, now, 200]);
    expect(next.devices[deviceB]?.results['1']).toEqual(next.devices[deviceA]?.results['1']);
  });

  it('drops keys folded longer than remoteKeyTtlMs ago and keeps the rest', async () => {
    const ttl = 10 * day;
    const head = version(1, {
      keys: keysOf({
        old: ['fp', deviceB, 1, now - ttl - 1, 200],
        edge: ['fp', deviceB, 2, now - ttl, 200],
        recent: ['fp', deviceB, 3, now - ttl + 1, 409],
      }),
      devices: { [deviceB]: deviceEntry({ seq: 3, t: now - ttl + 1, acked: 3 }) },
    });
    const next = await mustFold({
      head,
      remoteKeyTtlMs: ttl,
      segments: [segment(deviceA, 1, [{ at: now }])],
    });
    expect(Object.keys(keyRecord(next.keys)).sort()).toEqual(['a1', 'recent']);
    expect(next.keys.get('recent')).toEqual(['fp', deviceB, 3, now - ttl + 1, 409]);
    expect(next.keys.get('a1')).toEqual(['fp:a1', deviceA, 1, now, 200]);
  });

  it('registers a key at the fold time, so a device offline longer than the TTL keeps its keys a full term', async () => {
    const ttl = 30 * day;
    const { commands, runs } = syncCommands();
    // A accepted these 40 and 31 days ago and only comes online now.
    const offline = await mustFold({
      commands,
      remoteKeyTtlMs: ttl,
      segments: [
        segment(deviceA, 1, [
          { at: now - 40 * day },
          { at: now - 31 * day, message: { type: 'fail', payload: {} } },
        ]),
      ],
    });
    expect(keyRecord(offline.keys)).toEqual({
      a1: ['fp:a1', deviceA, 1, now, 200],
      a2: ['fp:a2', deviceA, 2, now, 409],
    });
    // A retry of a1 from another device 29 days after the fold is still a replay, not a second effect.
    const later = await mustFold({
      head: offline,
      commands,
      remoteKeyTtlMs: ttl,
      clock: now + 29 * day,
      segments: [segment(deviceB, 1, [{ at: now + 29 * day, key: 'a1', fingerprint: 'fp:a1' }])],
    });
    expect(runs.add).toBe(1);
    expect(later.state).toEqual({ log: ['a1'] });
    expect(later.devices[deviceB]?.results['1']).toEqual(offline.devices[deviceA]?.results['1']);
    expect(later.keys.get('a1')).toEqual(['fp:a1', deviceA, 1, now, 200]);
    // A full term after the fold, the keys go.
    const expired = await mustFold({
      head: later,
      remoteKeyTtlMs: ttl,
      clock: now + ttl,
      segments: [segment(deviceC, 1, [{ at: now + ttl }])],
    });
    expect(Object.keys(keyRecord(expired.keys))).toEqual(['c1']);
  });

  it("registers each new key with its answer's status", async () => {
    const next = await mustFold({
      segments: [
        segment(deviceA, 1, [
          { at: T0 + 1 },
          { at: T0 + 2, message: { type: '@task', payload: {} } },
          { at: T0 + 3, message: { type: 'fail', payload: {} } },
          { at: T0 + 4, message: add('a4', '"stale"') },
        ]),
      ],
    });
    const statuses = Object.fromEntries(
      [...next.keys.entries()].map(([key, entry]) => [key, entry[4]]),
    );
    expect(statuses).toEqual({ a1: 200, a2: 201, a3: 409, a4: 412 });
    for (const [key, entry] of next.keys.entries()) {
      const answer = next.devices[deviceA]?.results[String(entry[2])];
      expect(entry).toEqual([`fp:${key}`, deviceA, entry[2], now, answer?.status]);
    }
  });
});

describe('fold: results and acknowledgements', () => {
  const answer = (n: number): StoredAnswer => ({ status: 200, headers: [], body: `{"n":${n}}` });

  it("carries another device's results forward until its acked mark", async () => {
    const head = version(2, {
      devices: {
        [deviceB]: deviceEntry({
          seq: 3,
          t: T0 + 30,
          acked: 1,
          results: { '2': answer(2), '3': answer(3) },
        }),
      },
    });
    const next = await mustFold({ head, segments: [segment(deviceA, 1, [{ at: T0 + 40 }])] });
    expect(next.devices[deviceB]).toEqual({ ...head.devices[deviceB], at: now });
    expect(Object.keys(next.devices[deviceA]?.results ?? {})).toEqual(['1']);
  });

  it("drops the folding device's results at or below its acked mark", async () => {
    const head = version(2, {
      devices: {
        [deviceA]: deviceEntry({
          seq: 3,
          t: T0 + 30,
          acked: 0,
          results: { '1': answer(1), '2': answer(2), '3': answer(3) },
        }),
      },
    });
    const next = await mustFold({
      head,
      self: { deviceId: deviceA, acked: 2 },
      segments: [segment(deviceA, 4, [{ at: T0 + 40 }])],
    });
    expect(next.devices[deviceA]?.acked).toBe(2);
    expect(Object.keys(next.devices[deviceA]?.results ?? {}).sort()).toEqual(['3', '4']);
    expect(next.devices[deviceA]?.results['3']).toEqual(answer(3));
  });

  it("records the folding device's acked even when only other devices have new messages", async () => {
    const head = version(2, {
      devices: {
        [deviceA]: deviceEntry({ seq: 2, t: T0 + 20, results: { '1': answer(1), '2': answer(2) } }),
      },
    });
    const next = await mustFold({
      head,
      self: { deviceId: deviceA, acked: 2 },
      segments: [segment(deviceB, 1, [{ at: T0 + 30 }])],
    });
    expect(next.devices[deviceA]).toEqual({ seq: 2, t: T0 + 20, acked: 2, results: {}, at: now });
  });

  it("never lowers the folding device's acked", async () => {
    const head = version(2, {
      devices: { [deviceA]: deviceEntry({ seq: 5, t: T0 + 50, acked: 5 }) },
    });
    const next = await mustFold({
      head,
      self: { deviceId: deviceA, acked: 3 },
      segments: [segment(deviceA, 6, [{ at: T0 + 60 }])],
    });
    expect(next.devices[deviceA]?.acked).toBe(5);
    expect(Object.keys(next.devices[deviceA]?.results ?? {})).toEqual(['6']);
  });

  it("does not touch another device's acked", async () => {
    const head = version(1, {
      devices: { [deviceB]: deviceEntry({ seq: 1, t: T0 + 1, acked: 0 }) },
    });
    const next = await mustFold({
      head,
      self: { deviceId: deviceA, acked: 9 },
      segments: [segment(deviceB, 2, [{ at: T0 + 2 }])],
    });
    expect(next.devices[deviceB]?.acked).toBe(0);
    expect(next.devices[deviceA]).toBeUndefined();
  });

  it('stores final answers: 200 with the result for a command, 201 with a location for a task', async () => {
    const next = await mustFold({
      segments: [
        segment(deviceA, 1, [
          { at: T0 + 1 },
          { at: T0 + 2, key: 't1', message: { type: '@task', payload: { title: 'milk' } } },
        ]),
      ],
    });
    const results = next.devices[deviceA]?.results ?? {};
    expect(results['1']?.status).toBe(200);
    expect(bodyOf(results['1'])).toEqual({ key: 'a1', status: 'done', result: { length: 1 } });
    expect(results['2']?.status).toBe(201);
    expect(results['2']?.headers).toContainEqual(['location', '/actors/shop/tasks/t1']);
    expect(next.state['tasks']).toEqual([{ key: 't1', task: { title: 'milk' }, at: T0 + 2 }]);
  });
});

describe('fold: conditional messages and rejections', () => {
  it('answers a @state message 200 with the new ETag in a header and the body', async () => {
    const next = await mustFold({
      segments: [
        segment(deviceA, 1, [{ at: T0 + 1, message: { type: '@state', payload: { n: 1 } } }]),
      ],
    });
    const etag = await stateEtag(canonicalJson({ n: 1 }));
    const answer = next.devices[deviceA]?.results['1'];
    expect(next.state).toEqual({ n: 1 });
    expect(answer?.status).toBe(200);
    expect(answer?.headers).toContainEqual(['etag', etag]);
    expect(bodyOf(answer)).toEqual({ key: 'a1', status: 'done', result: { etag } });
  });

  it('re-checks If-Match against the state at fold time: a mismatch is a stored 412, no change', async () => {
    const head = version(1, {
      state: { log: ['x'] },
      devices: { [deviceC]: deviceEntry({ seq: 1, t: T0 + 5, acked: 1 }) },
    });
    const headEtag = await stateEtag(canonicalJson(head.state));
    // Both devices saw the head's state; A's message folds first and changes it.
    const next = await mustFold({
      head,
      segments: [
        segment(deviceA, 1, [{ at: T0 + 10, message: add('a1', headEtag) }]),
        segment(deviceB, 1, [{ at: T0 + 20, message: add('b1', headEtag) }]),
      ],
    });
    expect(logOf(next)).toEqual(['x', 'a1']);
    expect(next.devices[deviceA]?.results['1']?.status).toBe(200);
    const refused = next.devices[deviceB]?.results['1'];
    expect(refused?.status).toBe(412);
    expect(bodyOf(refused)).toMatchObject({
      code: 'precondition-failed',
      etag: await stateEtag(canonicalJson({ log: ['x', 'a1'] })),
    });
    expect(next.devices[deviceB]?.seq).toBe(1);
    expect(next.keys.get('b1')).toEqual(['fp:b1', deviceB, 1, now, 412]);
  });

  it('matches If-Match "*" even before the first version: every actor has a state', async () => {
    const next = await mustFold({
      segments: [segment(deviceA, 1, [{ at: T0 + 1, message: add('a1', '*') }])],
    });
    expect(next.state).toEqual({ log: ['a1'] });
    expect(next.devices[deviceA]?.results['1']?.status).toBe(200);
  });

  it('matches If-Match "*" whatever the state, also inside a list', async () => {
    const head = version(1, { state: { log: ['x'] } });
    const next = await mustFold({
      head,
      segments: [
        segment(deviceA, 1, [
          { at: T0 + 1, message: add('a1', '*') },
          { at: T0 + 2, message: add('a2', '"nope", *') },
        ]),
      ],
    });
    expect(next.state).toEqual({ log: ['x', 'a1', 'a2'] });
    expect(next.devices[deviceA]?.results['2']?.status).toBe(200);
  });

  it('matches one of several listed ETags', async () => {
    const head = version(1, { state: { log: ['x'] } });
    const etag = await stateEtag(canonicalJson(head.state));
    const next = await mustFold({
      head,
      segments: [segment(deviceA, 1, [{ at: T0 + 1, message: add('a1', `"nope", ${etag}`) }])],
    });
    expect(next.state).toEqual({ log: ['x', 'a1'] });
  });

  it('stores a throwing command as 409 command-rejected and keeps the state', async () => {
    const { commands, runs } = syncCommands();
    const next = await mustFold({
      commands,
      head: version(1, { state: { log: ['x'] } }),
      segments: [
        segment(deviceA, 1, [
          { at: T0 + 1, message: { type: 'fail', payload: {} } },
          { at: T0 + 2, message: { type: 'scribble', payload: {} } },
          { at: T0 + 3 },
        ]),
      ],
    });
    expect(runs).toMatchObject({ fail: 1, scribble: 1, add: 1 });
    expect(next.state).toEqual({ log: ['x', 'a3'] });
    const results = next.devices[deviceA]?.results ?? {};
    expect(results['1']?.status).toBe(409);
    expect(bodyOf(results['1'])).toMatchObject({
      code: 'command-rejected',
      detail: 'out of stock',
    });
    expect(results['2']?.status).toBe(409);
    expect(Object.keys(keyRecord(next.keys)).sort()).toEqual(['a1', 'a2', 'a3']);
  });
});

describe('fold: rolling upgrades stop a run, never finalise (DESIGN.md §6b)', () => {
  const refund = (v: string): Message => ({ type: 'refund', payload: { v } });

  /** The new worker's commands: the sync commands plus `refund`, which appends `refund:{v}`. */
  function newCommands() {
    const { commands, runs } = syncCommands();
    const withRefund: Commands = {
      ...commands,
      refund: (state: { log?: string[] }, { v }: { v: string }) => ({
        state: { ...state, log: [...(state.log ?? []), `refund:${v}`] },
        result: { refunded: v },
      }),
    };
    return { commands: withRefund, runs };
  }

  // B runs the new worker and accepted a refund at seq 2; A runs the old one, without `refund`.
  const upgrade = (): Segment[] => [
    segment(deviceA, 1, [{ at: T0 + 10 }, { at: T0 + 40 }]),
    segment(deviceB, 1, [{ at: T0 + 20 }, { at: T0 + 30, message: refund('b2') }, { at: T0 + 35 }]),
  ];

  it("stops B's run at a command the folder lacks: no answer, no key, B's later messages wait, A's fold", async () => {
    const { commands, runs } = syncCommands();
    const [next, heldBack] = await mustFoldHolding({ commands, segments: upgrade() });
    expect(heldBack).toEqual([heldB2('refund', 'unknown-command')]);
    expect(logOf(next)).toEqual(['a1', 'b1', 'a2']);
    expect(runs.add).toBe(3);
    expect(next.devices[deviceA]).toMatchObject({ seq: 2, t: T0 + 40 });
    // B's watermark stays below the refund: nothing of B from there on is applied or answered.
    expect(next.devices[deviceB]).toMatchObject({ seq: 1, t: T0 + 20 });
    expect(Object.keys(next.devices[deviceB]?.results ?? {})).toEqual(['1']);
    expect(Object.keys(keyRecord(next.keys)).sort()).toEqual(['a1', 'a2', 'b1']);
  });

  it('folds nothing when every new message waits for a newer folder, and says what it held back', async () => {
    const head = version(1, { state: { log: ['x'] } });
    await expect(
      fold(
        foldInput({ head, segments: [segment(deviceB, 1, [{ at: T0, message: refund('b1') }])] }),
      ),
    ).resolves.toEqual({
      next: undefined,
      heldBack: [
        {
          deviceId: deviceB,
          own: false,
          seq: 1,
          key: 'b1',
          type: 'refund',
          code: 'unknown-command',
          commandsVersion: 0,
        },
      ],
    });
  });

  it('lets a folder that has the command fold it afterwards, from inside the segment, with its answer', async () => {
    const old = await mustFold({ segments: upgrade() });
    // The remote still lists B's segment 1-3; its run now starts inside it, at seq 2.
    const byName = new Map<string, Segment>();
    for (const one of upgrade()) {
      const named = parseSegmentName((await encodeSegment(one)).name);
      if (named === undefined) throw new Error('unparsable segment name');
      byName.set(named.name, one);
    }
    const listing = [...byName.keys()].map((name) => parseSegmentName(name) as SegmentName);
    const { runs: selected } = selectRuns(old, listing);
    expect(selected.map(({ deviceId, first, last }) => [deviceId, first, last])).toEqual([
      [deviceB, 1, 3],
    ]);
    const { commands, runs } = newCommands();
    const next = await mustFold({
      head: old,
      commands,
      self: { deviceId: deviceB, acked: 0 },
      segments: selected.map((named) => byName.get(named.name) as Segment),
    });
    // b1 is not run again; the refund and b3 append after the head.
    expect(runs.add).toBe(1);
    expect(logOf(next)).toEqual(['a1', 'b1', 'a2', 'refund:b2', 'b3']);
    expect(next.devices[deviceB]).toMatchObject({ seq: 3, t: T0 + 35 });
    const refunded = next.devices[deviceB]?.results['2'];
    expect(refunded?.status).toBe(200);
    expect(bodyOf(refunded)).toEqual({ key: 'b2', status: 'done', result: { refunded: 'b2' } });
    expect(next.keys.get('b2')).toEqual(['fp:b2', deviceB, 2, now, 200]);
    expect(next.keys.get('b3')).toEqual(['fp:b3', deviceB, 3, now, 200]);
  });

  it('never runs again the part of a segment at or below the watermark, even once its keys expired', async () => {
    const { commands, runs } = syncCommands();
    // An earlier fold stopped B inside its segment 1-2; b1's registry entry has since expired.
    const head = version(4, {
      state: { log: ['b1'] },
      devices: { [deviceB]: deviceEntry({ seq: 1, t: T0 + 10, acked: 1 }) },
    });
    const next = await mustFold({
      head,
      commands,
      segments: [segment(deviceB, 1, [{ at: T0 + 10 }, { at: T0 + 20 }])],
    });
    expect(runs.add).toBe(1);
    expect(logOf(next)).toEqual(['b1', 'b2']);
    expect(Object.keys(next.devices[deviceB]?.results ?? {})).toEqual(['2']);
    expect(Object.keys(keyRecord(next.keys))).toEqual(['b2']);
  });

  it('stops the run at a message logged with a newer commandsVersion than the folder', async () => {
    const segments = [
      segment(deviceA, 1, [{ at: T0 + 10 }]),
      segment(deviceB, 1, [{ at: T0 + 20 }, { at: T0 + 30 }, { at: T0 + 40 }]),
    ];
    const [b1, b2, b3] = segments[1]?.messages ?? [];
    if (b1 === undefined || b2 === undefined || b3 === undefined) throw new Error('no messages');
    b1.commandsVersion = 2;
    b2.commandsVersion = 3;
    b3.commandsVersion = 2;
    const [older, heldBack] = await mustFoldHolding({ commandsVersion: 2, segments });
    expect(heldBack).toEqual([heldB2('add', 'commands-newer', 3)]);
    expect(logOf(older)).toEqual(['a1', 'b1']);
    expect(older.devices[deviceB]?.seq).toBe(1);
    expect(Object.keys(keyRecord(older.keys)).sort()).toEqual(['a1', 'b1']);
    // A folder at 3 has what B ran, and folds the rest.
    const [newer, none] = await mustFoldHolding({ head: older, commandsVersion: 3, segments });
    expect(none).toEqual([]);
    expect(logOf(newer)).toEqual(['a1', 'b1', 'b2', 'b3']);
    expect(newer.devices[deviceB]?.seq).toBe(3);
  });

  it('reads a message logged without a commandsVersion (older code) as 0', async () => {
    const next = await mustFold({
      commandsVersion: 0,
      segments: [segment(deviceB, 1, [{ at: T0 }])],
    });
    expect(segment(deviceB, 1, [{ at: T0 }]).messages[0]).not.toHaveProperty('commandsVersion');
    expect(logOf(next)).toEqual(['b1']);
  });

  it('stops the run at a command that runs past turnTimeoutMs instead of storing turn-timeout', async () => {
    const { commands, runs } = syncCommands();
    let slowRuns = 0;
    const slow: Commands = {
      ...commands,
      slow: () => {
        slowRuns++;
        return new Promise<never>(() => {});
      },
    };
    const [next, heldBack] = await mustFoldHolding({
      commands: slow,
      turnTimeoutMs: 20,
      segments: [
        segment(deviceA, 1, [{ at: T0 + 10 }, { at: T0 + 40 }]),
        segment(deviceB, 1, [
          { at: T0 + 20 },
          { at: T0 + 30, message: { type: 'slow', payload: {} } },
          { at: T0 + 35 },
        ]),
      ],
    });
    expect(slowRuns).toBe(1);
    expect(heldBack).toEqual([heldB2('slow', 'turn-timeout')]);
    expect(runs.add).toBe(3);
    expect(logOf(next)).toEqual(['a1', 'b1', 'a2']);
    expect(next.devices[deviceB]?.seq).toBe(1);
    expect(Object.keys(next.devices[deviceB]?.results ?? {})).toEqual(['1']);
    expect(next.keys.get('b2')).toBeUndefined();
    const statuses = Object.values(next.devices).flatMap((entry) =>
      Object.values(entry.results).map((answer) => answer.status),
    );
    expect(statuses).not.toContain(500);
  });

  it('stops the run at a command that returns no { state } (command-invalid), never finalising it', async () => {
    const { commands, runs } = syncCommands();
    const [next, heldBack] = await mustFoldHolding({
      commands: { ...commands, broken: () => undefined as never },
      segments: [
        segment(deviceA, 1, [{ at: T0 + 10 }, { at: T0 + 40 }]),
        segment(deviceB, 1, [
          { at: T0 + 20 },
          { at: T0 + 30, message: { type: 'broken', payload: {} } },
          { at: T0 + 35 },
        ]),
      ],
    });
    expect(heldBack).toEqual([heldB2('broken', 'command-invalid')]);
    expect(runs.add).toBe(3);
    expect(logOf(next)).toEqual(['a1', 'b1', 'a2']);
    expect(next.devices[deviceB]?.seq).toBe(1);
    expect(Object.keys(next.devices[deviceB]?.results ?? {})).toEqual(['1']);
    expect(next.keys.get('b2')).toBeUndefined();
  });

  it('still stores a throwing command as a final 409 command-rejected and folds on past it', async () => {
    const run = segment(deviceB, 1, [
      { at: T0 + 1, message: { type: 'fail', payload: {} } },
      { at: T0 + 2 },
    ]);
    // Logged by a worker at the folder's own version: that folds.
    for (const logged of run.messages) logged.commandsVersion = 2;
    const next = await mustFold({ commandsVersion: 2, segments: [run] });
    const results = next.devices[deviceB]?.results ?? {};
    expect(results['1']?.status).toBe(409);
    expect(bodyOf(results['1'])).toMatchObject({
      code: 'command-rejected',
      detail: 'out of stock',
    });
    expect(next.keys.get('b1')).toEqual(['fp:b1', deviceB, 1, now, 409]);
    expect(next.devices[deviceB]?.seq).toBe(2);
    expect(logOf(next)).toEqual(['b2']);
  });
});

describe('fold: the new version', () => {
  it('returns undefined when there is nothing new', async () => {
    const head = version(4, { state: { log: ['x'] } });
    const nothing = { next: undefined, heldBack: [] };
    await expect(fold(foldInput({ head }))).resolves.toEqual(nothing);
    await expect(
      fold(foldInput({ head, segments: [{ ...segment(deviceA, 1, []), last: 0 }] })),
    ).resolves.toEqual(nothing);
  });

  it('is version head + 1 with the parent, nonce and updatedAt from now', async () => {
    const next = await mustFold({
      head: version(41),
      nonce: 'n-42',
      segments: [segment(deviceA, 1, [{ at: T0 + 1 }])],
    });
    expect(next).toMatchObject({
      version: 42,
      parent: 41,
      nonce: 'n-42',
      updatedAt: new Date(now).toISOString(),
    });
  });

  it('folds onto genesis as version 1 with parent 0', async () => {
    const next = await mustFold({ segments: [segment(deviceA, 1, [{ at: T0 + 1 }])] });
    expect(next).toMatchObject({ version: 1, parent: 0 });
  });

  it('is deterministic and leaves its input untouched', async () => {
    const head = version(3, {
      state: { log: ['x'] },
      devices: {
        [deviceA]: deviceEntry({ seq: 1, t: T0 + 10, results: { '1': original } }),
        [deviceB]: deviceEntry({ seq: 2, t: T0 + 20, acked: 2 }),
      },
      keys: keysOf({ k1: ['fp-1', deviceA, 1, T0 + 10, 200] }),
    });
    const input = () =>
      foldInput({
        head,
        self: { deviceId: deviceA, acked: 1 },
        segments: [
          segment(deviceA, 2, [
            { at: T0 + 5 },
            { at: T0 + 30, message: { type: 'fail', payload: {} } },
          ]),
          segment(deviceB, 3, [{ at: T0 + 25, key: 'k1', fingerprint: 'fp-1' }, { at: T0 + 26 }]),
          segment(deviceC, 1, [{ at: T0 + 25, message: { type: '@task', payload: { n: 1 } } }]),
        ],
      });
    const first = (await fold(input())).next;
    const second = (await fold(input())).next;
    expect(first).toBeDefined();
    expect(second).toEqual(first);
    const plain = (next: VersionFile | undefined) =>
      JSON.stringify(next === undefined ? next : { ...next, keys: keyRecord(next.keys) });
    expect(plain(second)).toBe(plain(first));
    const again = input();
    const before = structuredClone({ head: again.head, segments: again.segments });
    const third = (await fold(again)).next;
    expect({ head: again.head, segments: again.segments }).toEqual(before);
    // The output shares nothing mutable with the head: changing it leaves the head as it was.
    const mine = third?.devices[deviceA];
    if (mine === undefined) throw new Error('device A missing from the fold');
    mine.results['9'] = original;
    expect(head.devices[deviceA]?.results).toEqual({ '1': original });
  });
});

describe('fold: the registry clock (DESIGN.md §6b)', () => {
  const ttl = 30 * day;

  it('stamps the version and its new keys with the clock it was given, never below the parent’s', async () => {
    const parent = version(1, {
      devices: { [deviceB]: deviceEntry({ seq: 1, t: T0, acked: 1 }) },
      keys: keysOf({ b1: ['fp:b1', deviceB, 1, now + day, 200] }),
      clock: now + day,
    });
    const next = await mustFold({
      head: parent,
      remoteKeyTtlMs: ttl,
      clock: now,
      segments: [segment(deviceA, 1, [{ at: T0 }])],
    });
    expect(next.clock).toBe(now + day);
    expect(next.updatedAt).toBe(new Date(now + day).toISOString());
    expect(keyRecord(next.keys)).toEqual({
      b1: ['fp:b1', deviceB, 1, now + day, 200],
      a1: ['fp:a1', deviceA, 1, now + day, 200],
    });
  });

  it('takes a clockless version (written by older code) at its latest foldedAt, keys as they are', () => {
    const old = version(3, {
      keys: keysOf({
        x: ['fp', deviceB, 1, now - 2 * day, 200],
        y: ['fp', deviceB, 2, now + 3 * day, 200],
      }),
    });
    expect(old.clock).toBeUndefined();
    expect(versionClock(old)).toBe(now + 3 * day);
    expect(versionClock(genesisVersion())).toBe(0);
    expect(versionClock({ ...old, clock: now })).toBe(now);
  });

  it('restamped at a later clock, a fold equals the fold at that clock', async () => {
    const parent = version(1, {
      devices: { [deviceB]: deviceEntry({ seq: 2, t: T0, acked: 2 }) },
      keys: keysOf({
        early: ['fp', deviceB, 1, now - ttl + day, 200],
        late: ['fp', deviceB, 2, now, 200],
      }),
      clock: now,
    });
    const input = {
      head: parent,
      remoteKeyTtlMs: ttl,
      segments: [segment(deviceA, 1, [{ at: T0 }, { at: T0 }])],
    };
    const later = now + 2 * day;
    const draft = await mustFold({ ...input, clock: versionClock(parent) });
    const direct = await mustFold({ ...input, clock: later });
    expect(atClock(draft, parent, later, { remoteKeyTtlMs: ttl, retireAfterMs: ttl })).toEqual(
      direct,
    );
    // The key within a day of its term at `now` is gone two days later; the rest stay.
    expect(Object.keys(keyRecord(direct.keys))).toEqual(['late', 'a1', 'a2']);
    expect(direct.keys.get('a1')?.[3]).toBe(later);
  });
});
