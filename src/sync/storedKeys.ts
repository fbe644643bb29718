import { setOwn } from './setOwn.ts';
import { brokenVersion, isObject, type KeyEntry } from './versionFile.ts';

/**
 * The key registry as format 2 stores it ([the key registry](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#the-key-registry)): keys grouped by
 * the clock they were folded at, each `[fingerprint, device, seq, status]`
 * with an 18-character fingerprint (108 bits) and the device as an index
 * into the chain's device table. A UUID key with a six-digit seq costs
 * about 75 bytes.
 */
export type StoredKeys = Record<string, Record<string, StoredKey>>;
export type StoredKey = [fingerprint: string, device: number, seq: number, status: number];

const fullFingerprint = /^[0-9a-f]{64}$/;

/**
 * The registry's form of a request fingerprint: the first 108 bits of the
 * SHA-256, base64url. A fingerprint in any other form (one already short)
 * is kept as it is.
 */
export function shortFingerprint(fingerprint: string): string {
  if (!fullFingerprint.test(fingerprint)) return fingerprint;
  const bytes = fingerprint
    .slice(0, 28)
    .match(/../g)
    ?.map((pair) => Number.parseInt(pair, 16)) as number[];
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .slice(0, 18);
}

/** Whether a registry entry's fingerprint (short or, from format 1, whole) is this request's. */
export function sameFingerprint(registered: string, fingerprint: string): boolean {
  return registered === fingerprint || registered === shortFingerprint(fingerprint);
}

/** Stores `entries`, appending to `ids` every device the table lacks. */
export function encodeKeys(entries: Iterable<[string, KeyEntry]>, ids: string[]): StoredKeys {
  const index = new Map(ids.map((id, i) => [id, i]));
  const grouped: StoredKeys = {};
  for (const [key, [fingerprint, deviceId, seq, foldedAt, status]] of entries) {
    let device = index.get(deviceId);
    if (device === undefined) {
      device = ids.push(deviceId) - 1;
      index.set(deviceId, device);
    }
    setOwn((grouped[String(foldedAt)] ??= {}), key, [
      shortFingerprint(fingerprint),
      device,
      seq,
      status,
    ]);
  }
  return grouped;
}

/** Adds the stored keys of version `n` to `into`, checking each against the device table. */
export function decodeKeys(
  n: number,
  stored: unknown,
  ids: readonly string[],
  into: Map<string, KeyEntry>,
): void {
  if (!isObject(stored)) throw brokenVersion(n, 'malformed keys');
  for (const [at, group] of Object.entries(stored)) {
    const foldedAt = Number(at);
    if (!Number.isSafeInteger(foldedAt) || !isObject(group)) {
      throw brokenVersion(n, `malformed key group ${at}`);
    }
    for (const [key, entry] of Object.entries(group)) {
      const deviceId = Array.isArray(entry) ? ids[entry[1] as number] : undefined;
      if (
        !Array.isArray(entry) ||
        entry.length !== 4 ||
        typeof entry[0] !== 'string' ||
        deviceId === undefined ||
        typeof entry[2] !== 'number' ||
        typeof entry[3] !== 'number'
      ) {
        throw brokenVersion(n, `malformed key ${key}`);
      }
      into.set(key, [entry[0], deviceId, entry[2], foldedAt, entry[3]]);
    }
  }
}
