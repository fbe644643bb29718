const hexByte = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Lower-case hex SHA-256 of bytes or of a string's UTF-8 (Web Crypto: works in pages and workers). */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>),
  );
  // A table, not toString per byte: this runs twice for every message (fingerprint and ETag).
  let hex = '';
  for (const byte of digest) hex += hexByte[byte] ?? '';
  return hex;
}
