import { sha256Hex } from '../crypto/sha256Hex.ts';

/** A strong ETag from a state's canonical JSON: equal content, equal tag, on any device. */
export async function stateEtag(canonicalState: string): Promise<string> {
  return `"${(await sha256Hex(canonicalState)).slice(0, 32)}"`;
}
