import type { KeyEntry } from './versionFile.ts';

/** Keys registered together, with the range of their `foldedAt`; immutable once made. */
interface Layer {
  readonly entries: ReadonlyMap<string, KeyEntry>;
  readonly oldest: number;
  readonly newest: number;
  /** By device, then seq: the key registered there. Built the first time it is asked for. */
  bySeq?: Map<string, Map<number, string>>;
}

let serial = 0;

/**
 * A version's remote key registry ([the key registry](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#the-key-registry)), immutable, so a
 * version shares it with the version it was folded onto: a fold adds its
 * keys as a layer over its parent's, and forgets keys by raising `floor`
 * (every key folded at or before it is gone) instead of copying what is
 * left. A round costs O(its own keys), not O(every live key). A layer at
 * least half the size of the one below is merged into it, dropping the
 * forgotten keys, so there are O(log keys) layers and each key is copied
 * O(log keys) times in all.
 */
export class KeyRegistry {
  /** Keys folded at or before this clock are forgotten. */
  readonly floor: number;
  readonly #layers: readonly Layer[];
  readonly #id = ++serial;
  /** The registry this one was made from by {@link with}, and what it added to it. */
  readonly #base: { id: number; added: ReadonlyMap<string, KeyEntry> } | undefined;

  private constructor(
    layers: readonly Layer[],
    floor: number,
    base?: { id: number; added: ReadonlyMap<string, KeyEntry> },
  ) {
    this.#layers = layers;
    this.floor = floor;
    this.#base = base;
  }

  static empty(): KeyRegistry {
    return new KeyRegistry([], -Infinity);
  }

  /** A registry of `entries` as one layer; like {@link with}, it keeps the map itself, not a copy. */
  static of(entries: ReadonlyMap<string, KeyEntry>): KeyRegistry {
    const layer = toLayer(entries);
    return new KeyRegistry(layer === undefined ? [] : [layer], -Infinity);
  }

  get(key: string): KeyEntry | undefined {
    for (let i = this.#layers.length - 1; i >= 0; i--) {
      const entry = this.#layers[i]?.entries.get(key);
      if (entry !== undefined) return entry[3] > this.floor ? entry : undefined;
    }
    return undefined;
  }

  /** Every live key, once; a key registered again after it was forgotten is its newer entry. */
  *entries(): Generator<[string, KeyEntry]> {
    for (const [i, layer] of this.#layers.entries()) {
      const above = this.#layers.slice(i + 1);
      for (const [key, entry] of layer.entries) {
        if (entry[3] <= this.floor) continue;
        // A key in a higher layer was forgotten here and registered again, so this entry is dead anyway.
        if (above.some((higher) => higher.entries.has(key))) continue;
        yield [key, entry];
      }
    }
  }

  /** The key `deviceId` registered at `seq`, if it is live. */
  atSeq(deviceId: string, seq: number): [string, KeyEntry] | undefined {
    for (let i = this.#layers.length - 1; i >= 0; i--) {
      const layer = this.#layers[i] as Layer;
      const key = seqIndex(layer).get(deviceId)?.get(seq);
      const entry = key === undefined ? undefined : this.get(key);
      if (key !== undefined && entry?.[1] === deviceId && entry[2] === seq) return [key, entry];
    }
    return undefined;
  }

  /** The latest `foldedAt` of any key ever registered here (-Infinity for none). */
  newest(): number {
    return Math.max(-Infinity, ...this.#layers.map((layer) => layer.newest));
  }

  /** Whether raising the floor to `floor` may forget a key that is live here. */
  mayForget(floor: number): boolean {
    return floor > this.floor && this.#layers.some((layer) => layer.oldest <= floor);
  }

  /** This registry with `added` registered and the keys folded at or before `floor` forgotten. */
  with(added: ReadonlyMap<string, KeyEntry>, floor = -Infinity): KeyRegistry {
    const raised = Math.max(this.floor, floor);
    const layers = [...this.#layers];
    let top = toLayer(added);
    while (top !== undefined && layers.length > 0) {
      const below = layers.at(-1) as Layer;
      if (top.entries.size * 2 < below.entries.size) break;
      layers.pop();
      top = merged(below, top, raised);
    }
    if (top !== undefined) layers.push(top);
    return new KeyRegistry(layers, raised, { id: this.#id, added });
  }

  /** What {@link with} added to `base` to make this registry; a registry made otherwise is a bug. */
  addedTo(base: KeyRegistry): ReadonlyMap<string, KeyEntry> {
    if (this === base) return new Map();
    if (this.#base?.id !== base.#id)
      throw new Error('this key registry was not made from that one');
    return this.#base.added;
  }
}

function toLayer(entries: ReadonlyMap<string, KeyEntry>): Layer | undefined {
  if (entries.size === 0) return undefined;
  let oldest = Infinity;
  let newest = -Infinity;
  for (const entry of entries.values()) {
    oldest = Math.min(oldest, entry[3]);
    newest = Math.max(newest, entry[3]);
  }
  return { entries, oldest, newest };
}

function merged(below: Layer, top: Layer, floor: number): Layer | undefined {
  const entries = new Map<string, KeyEntry>();
  for (const layer of [below, top]) {
    for (const [key, entry] of layer.entries) if (entry[3] > floor) entries.set(key, entry);
  }
  return toLayer(entries);
}

function seqIndex(layer: Layer): Map<string, Map<number, string>> {
  if (layer.bySeq === undefined) {
    layer.bySeq = new Map();
    for (const [key, [, deviceId, seq]] of layer.entries) {
      let seqs = layer.bySeq.get(deviceId);
      if (seqs === undefined) {
        seqs = new Map<number, string>();
        layer.bySeq.set(deviceId, seqs);
      }
      seqs.set(seq, key);
    }
  }
  return layer.bySeq;
}
