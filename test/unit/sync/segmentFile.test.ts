import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/actor/canonicalJson.ts';
import { isSyncError } from '../../../src/errors/SyncError.ts';
import { decodeSegment, encodeSegment, type Segment } from '../../../src/sync/segmentFile.ts';
import { parseSegmentName } from '../../../src/sync/segmentName.ts';
import {
  actorId,
  deviceA,
  deviceB,
  namedFor,
  nodeSha256,
  now,
  segment,
} from './support/builders.ts';

const good = (): Segment =>
  segment(deviceA, 3, [
    {
      at: now,
      message: { type: 'add', payload: { v: 'x', nested: { z: 1, a: [2, { y: 3, b: 4 }] } } },
    },
    { at: now + 1, message: { type: '@state', payload: { n: 1 }, ifMatch: '"abc"' } },
  ]);

/** The same segment built with every object's keys in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, item]) => [key, reversedKeys(item)]),
  );
}

/** The reason `decodeSegment` gave, failing the test when it did not reject with a SyncError. */
async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error: unknown = await promise.then(
    () => new Error('expected decodeSegment to reject'),
    (reason: unknown) => reason,
  );
  if (!isSyncError(error)) throw error;
  return { code: error.code, message: error.message };
}

describe('encodeSegment', () => {
  it('names the segment {deviceId}.{first}-{last}.{hash8}.json, hash8 from SHA-256 of the body', async () => {
    const { name, body } = await encodeSegment(good());
    expect(name).toMatch(/^[0-9a-f-]{36}\.3-4\.[0-9a-f]{8}\.json$/);
    expect(name).toBe(`${deviceA}.3-4.${nodeSha256(body).slice(0, 8)}.json`);
    expect(parseSegmentName(name)).toMatchObject({ deviceId: deviceA, first: 3, last: 4 });
  });

  it('writes canonical JSON that carries the whole segment', async () => {
    const { body } = await encodeSegment(good());
    expect(body).toBe(canonicalJson(good()));
    expect(JSON.parse(body)).toEqual(good());
    expect(body.startsWith('{"actorId":"shop","deviceId":')).toBe(true);
  });

  it('gives the same bytes and name for the same range, whatever the key order', async () => {
    const first = await encodeSegment(good());
    const again = await encodeSegment(good());
    const reordered = await encodeSegment(reversedKeys(good()) as Segment);
    expect(again).toEqual(first);
    expect(reordered).toEqual(first);
  });

  it('gives a different hash for a different content', async () => {
    const changed = good();
    changed.messages[0]!.at += 1;
    const [a, b] = await Promise.all([encodeSegment(good()), encodeSegment(changed)]);
    expect(b.name).not.toBe(a.name);
  });
});

describe('decodeSegment', () => {
  it('accepts a good segment', async () => {
    const { name, body } = await encodeSegment(good());
    const named = parseSegmentName(name);
    if (named === undefined) throw new Error('unparsable name');
    await expect(decodeSegment(actorId, named, body)).resolves.toEqual(good());
  });

  it('rejects a body whose hash differs from its name', async () => {
    const { body } = await encodeSegment(good());
    const named = namedFor(body, { first: 3, last: 4, hash8: 'ffffffff' });
    const { code, message } = await rejection(decodeSegment(actorId, named, body));
    expect(code).toBe('remote-protocol');
    expect(message).toMatch(/content does not match its hash/);
    expect(message).toContain(named.name);
  });

  it('rejects a body changed after it was named', async () => {
    const { name, body } = await encodeSegment(good());
    const named = parseSegmentName(name);
    if (named === undefined) throw new Error('unparsable name');
    const tampered = body.replace('"x"', '"y"');
    expect(tampered).not.toBe(body);
    expect((await rejection(decodeSegment(actorId, named, tampered))).message).toMatch(/hash/);
  });

  it("rejects another actor's segment", async () => {
    const { body } = await encodeSegment(good());
    const named = namedFor(body, { first: 3, last: 4 });
    const { code, message } = await rejection(decodeSegment('other', named, body));
    expect(code).toBe('remote-protocol');
    expect(message).toMatch(/foreign actor or device/);
  });

  it("rejects a segment whose device is not the name's", async () => {
    const { body } = await encodeSegment(good());
    const named = namedFor(body, { deviceId: deviceB, first: 3, last: 4 });
    expect((await rejection(decodeSegment(actorId, named, body))).message).toMatch(
      /foreign actor or device/,
    );
  });

  it("rejects a range that differs from the name's", async () => {
    const { body } = await encodeSegment(good());
    for (const range of [
      { first: 2, last: 3 },
      { first: 3, last: 5 },
    ]) {
      const named = namedFor(body, range);
      expect((await rejection(decodeSegment(actorId, named, body))).message).toMatch(
        /range differs from its name/,
      );
    }
  });

  it('rejects a wrong number of messages', async () => {
    const short = { ...good(), last: 5 };
    const { body } = await encodeSegment(short);
    const named = namedFor(body, { first: 3, last: 5 });
    expect((await rejection(decodeSegment(actorId, named, body))).message).toMatch(
      /wrong number of messages/,
    );
    const none = { ...good(), messages: 'lots' } as unknown as Segment;
    const encoded = await encodeSegment(none);
    expect(
      (
        await rejection(
          decodeSegment(actorId, namedFor(encoded.body, { first: 3, last: 4 }), encoded.body),
        )
      ).message,
    ).toMatch(/wrong number of messages/);
  });

  it.each<[string, (segment: Segment) => void]>([
    ['a seq out of order', (s) => void (s.messages[1]!.seq = 5)],
    ['a missing key', (s) => void delete (s.messages[0] as Partial<Segment['messages'][0]>).key],
    [
      'a numeric fingerprint',
      (s) => void ((s.messages[0] as { fingerprint: unknown }).fingerprint = 1),
    ],
    ['a string time', (s) => void ((s.messages[1] as { at: unknown }).at = 'now')],
    ['no message type', (s) => void ((s.messages[0]!.message as { type: unknown }).type = 7)],
    [
      'an array payload',
      (s) => void ((s.messages[0]!.message as { payload: unknown }).payload = []),
    ],
    [
      'a null payload',
      (s) => void ((s.messages[0]!.message as { payload: unknown }).payload = null),
    ],
    [
      'a numeric If-Match',
      (s) => void ((s.messages[1]!.message as { ifMatch: unknown }).ifMatch = 1),
    ],
    ['a null message', (s) => void ((s.messages as unknown[])[0] = null)],
    ['a negative commandsVersion', (s) => void (s.messages[0]!.commandsVersion = -1)],
    ['a fractional commandsVersion', (s) => void (s.messages[1]!.commandsVersion = 1.5)],
    [
      'a string commandsVersion',
      (s) => void ((s.messages[0] as { commandsVersion: unknown }).commandsVersion = '2'),
    ],
  ])('rejects a malformed message: %s', async (_why, spoil) => {
    const spoiled = good();
    spoil(spoiled);
    const { body } = await encodeSegment(spoiled);
    const named = namedFor(body, { first: 3, last: 4 });
    const { code, message } = await rejection(decodeSegment(actorId, named, body));
    expect(code).toBe('remote-protocol');
    expect(message).toMatch(/message [01] is malformed/);
  });

  it('accepts messages with a commandsVersion, and without one (written by older code)', async () => {
    const logged = good();
    logged.messages[0]!.commandsVersion = 3;
    const { body } = await encodeSegment(logged);
    const decoded = await decodeSegment(actorId, namedFor(body, { first: 3, last: 4 }), body);
    expect(decoded.messages.map((message) => message.commandsVersion)).toEqual([3, undefined]);
  });

  it('rejects an unknown format', async () => {
    const { body } = await encodeSegment({ ...good(), format: 2 as 1 });
    const named = namedFor(body, { first: 3, last: 4 });
    expect((await rejection(decodeSegment(actorId, named, body))).message).toMatch(
      /unknown format/,
    );
  });

  it('rejects a body that is not JSON (even with the right hash)', async () => {
    const body = '{"format":1,';
    const { code, message } = await rejection(decodeSegment(actorId, namedFor(body), body));
    expect(code).toBe('remote-protocol');
    expect(message).toMatch(/is not JSON/);
  });

  it('rejects JSON null', async () => {
    const body = 'null';
    expect((await rejection(decodeSegment(actorId, namedFor(body), body))).message).toMatch(
      /unknown format/,
    );
  });
});
