import { describe, expect, it, vi } from 'vitest';
import { KeyRegistry } from '../../../src/sync/KeyRegistry.ts';
import type { KeyEntry } from '../../../src/sync/versionFile.ts';
import { deviceA, deviceB } from './support/builders.ts';
import { keyRecord } from './support/keys.ts';

const entry = (deviceId: string, seq: number, foldedAt: number): KeyEntry => [
  `fp-${seq}`,
  deviceId,
  seq,
  foldedAt,
  200,
];

/** Registers keys `k{from}…k{to}` of device A, each folded at its seq, one `with` per `batch`. */
function grown(to: number, batch: number, floorLag = Infinity): KeyRegistry {
  let registry = KeyRegistry.empty();
  for (let first = 1; first <= to; first += batch) {
    const added = new Map<string, KeyEntry>();
    const last = Math.min(to, first + batch - 1);
    for (let seq = first; seq <= last; seq++) added.set(`k${seq}`, entry(deviceA, seq, seq));
    registry = registry.with(added, last - floorLag);
  }
  return registry;
}

describe('KeyRegistry', () => {
  it('holds every key registered, once, after many small layers', () => {
    const registry = grown(1000, 7);
    const live = [...registry.entries()];
    expect(live).toHaveLength(1000);
    expect(new Set(live.map(([key]) => key)).size).toBe(1000);
    expect(registry.get('k1')).toEqual(entry(deviceA, 1, 1));
    expect(registry.get('k1000')).toEqual(entry(deviceA, 1000, 1000));
    expect(registry.get('k1001')).toBeUndefined();
  });

  it('forgets every key folded at or before its floor, and only those', () => {
    const registry = grown(1000, 10, 100);
    expect(registry.floor).toBe(900);
    expect(registry.get('k900')).toBeUndefined();
    expect(registry.get('k901')).toEqual(entry(deviceA, 901, 901));
    expect(Object.keys(keyRecord(registry)).sort()).toEqual(
      Array.from({ length: 100 }, (_, i) => `k${901 + i}`).sort(),
    );
  });

  it('never lowers its floor: a key forgotten stays forgotten', () => {
    const registry = KeyRegistry.of(new Map([['old', entry(deviceA, 1, 10)]])).with(new Map(), 10);
    const lowered = registry.with(new Map([['new', entry(deviceA, 2, 20)]]), 5);
    expect(lowered.floor).toBe(10);
    expect(lowered.get('old')).toBeUndefined();
    expect(lowered.get('new')).toEqual(entry(deviceA, 2, 20));
  });

  it('leaves the registry it was made from as it was', () => {
    const before = grown(100, 10);
    const after = before.with(new Map([['k101', entry(deviceA, 101, 101)]]), 50);
    expect(before.get('k1')).toEqual(entry(deviceA, 1, 1));
    expect(before.get('k101')).toBeUndefined();
    expect([...before.entries()]).toHaveLength(100);
    expect(after.get('k1')).toBeUndefined();
    expect([...after.entries()]).toHaveLength(51);
  });

  it('answers a key registered again after it was forgotten with its newer entry, once', () => {
    const forgotten = KeyRegistry.of(new Map([['k', entry(deviceA, 1, 10)]])).with(new Map(), 10);
    const again = forgotten.with(new Map([['k', entry(deviceB, 7, 30)]]));
    expect(again.get('k')).toEqual(entry(deviceB, 7, 30));
    expect([...again.entries()]).toEqual([['k', entry(deviceB, 7, 30)]]);
  });

  it('finds the key a device registered at a seq, among live keys only', () => {
    const registry = grown(300, 10, 100);
    expect(registry.atSeq(deviceA, 250)).toEqual(['k250', entry(deviceA, 250, 250)]);
    expect(registry.atSeq(deviceA, 150)).toBeUndefined();
    expect(registry.atSeq(deviceB, 250)).toBeUndefined();
  });

  it('tells what it added to the registry it was made from, and refuses any other', () => {
    const base = grown(20, 10);
    const added = new Map([['x', entry(deviceB, 1, 30)]]);
    const next = base.with(added);
    expect(next.addedTo(base)).toBe(added);
    expect(base.addedTo(base)).toEqual(new Map());
    expect(() => next.addedTo(grown(20, 10))).toThrow(/not made from that one/);
  });

  it('says whether a floor may forget a live key', () => {
    const registry = KeyRegistry.of(new Map([['k', entry(deviceA, 1, 10)]]));
    expect(registry.mayForget(9)).toBe(false);
    expect(registry.mayForget(10)).toBe(true);
    expect(registry.with(new Map(), 10).mayForget(10)).toBe(false);
  });

  it('keeps the number of layers logarithmic: a lookup of a missing key reads few maps', () => {
    const registry = grown(100_000, 10);
    const reads = vi.spyOn(Map.prototype, 'get');
    try {
      registry.get('missing');
      expect(reads.mock.calls.length).toBeLessThanOrEqual(Math.ceil(Math.log2(100_000)));
    } finally {
      reads.mockRestore();
    }
  });

  it('knows its newest foldedAt, also one ahead of the rest', () => {
    expect(KeyRegistry.empty().newest()).toBe(-Infinity);
    const registry = grown(50, 10).with(new Map([['ahead', entry(deviceB, 1, 5_000)]]));
    expect(registry.with(new Map([['k51', entry(deviceA, 51, 51)]])).newest()).toBe(5_000);
  });
});
