import { sha256Hex } from '../crypto/sha256Hex.ts';

/**
 * What makes two requests "the same request" for one key ([keys and fingerprints](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#idempotency-keys-and-fingerprints)):
 * method, the path without the key, the If-Match precondition and the body bytes.
 * If-Match is included because a retry under a different precondition is a
 * different request, not a replay.
 */
export async function fingerprint(
  method: string,
  path: string,
  ifMatch: string | undefined,
  body: Uint8Array,
): Promise<string> {
  const head = new TextEncoder().encode(`${method}\n${path}\n${ifMatch ?? ''}\n`);
  const all = new Uint8Array(head.byteLength + body.byteLength);
  all.set(head);
  all.set(body, head.byteLength);
  return sha256Hex(all);
}
