import { canonicalJson } from '../../src/actor/canonicalJson.ts';
import type { Segment } from '../../src/sync/segmentFile.ts';
import type { KeyEntry, VersionFile } from '../../src/sync/versionFile.ts';

/**
 * What format 1 (DESIGN.md §5) would have stored for a history, computed
 * from the same folded versions: each version a whole `state.json` holding
 * every live key as `[fingerprint, deviceId, seq, foldedAt, status]` with
 * the whole 64-digit fingerprint, kept forever, and every log segment kept
 * forever. Computed, not measured: the worker no longer writes format 1.
 */
export class Format1Sizes {
  /** Versions counted. */
  versions = 0;
  /** Bytes of every version's `state.json`, summed. */
  versionBytes = 0;
  /** Bytes of the last version's `state.json`: what one round writes. */
  lastVersionBytes = 0;
  /** Bytes of every log segment, summed, and how many. */
  segmentBytes = 0;
  segments = 0;
  /** Bytes of the registry's entries so far, with the commas between them. */
  #keyBytes = 0;
  #keys = 0;

  /** Counts the keys a version registered (the worker stored whole fingerprints then) and its segment. */
  addKeys(segment: Segment, registered: ReadonlyMap<string, KeyEntry>): void {
    const whole = new Map(segment.messages.map((logged) => [logged.key, logged.fingerprint]));
    for (const [key, entry] of registered) {
      const stored: KeyEntry = [whole.get(key) ?? entry[0], ...entry.slice(1)] as KeyEntry;
      this.#keyBytes += byteLength(`${JSON.stringify(key)}:${JSON.stringify(stored)}`) + 1;
      this.#keys++;
    }
    this.segmentBytes += byteLength(canonicalJson(segment));
    this.segments++;
  }

  /** Counts version `version`'s whole file; its registry is the keys added so far. */
  addVersion(version: VersionFile): void {
    // Everything but the registry, as the format-1 writer laid it out; then the registry's entries.
    const rest = JSON.stringify({ format: 1, ...version, keys: {}, chain: undefined });
    const bytes = byteLength(rest) + this.#keyBytes - (this.#keys > 0 ? 1 : 0);
    this.versions++;
    this.versionBytes += bytes;
    this.lastVersionBytes = bytes;
  }
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
