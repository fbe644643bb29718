const visibleAscii = /^[\x21-\x7e]{1,255}$/;

/**
 * Checks a key as the worker does (1-255 visible ASCII characters, not `.`
 * or `..`) and writes it as an RFC 8941 sf-string for the `Idempotency-Key`
 * header: quoted, with `"` and `\` escaped.
 */
export function keyHeader(key: unknown, option = 'options.key'): string {
  if (typeof key !== 'string' || !visibleAscii.test(key) || key === '.' || key === '..') {
    throw new TypeError(
      `${option} must be 1-255 visible ASCII characters (and not "." or ".."), got ${JSON.stringify(key)}`,
    );
  }
  return `"${key.replace(/["\\]/g, '\\$&')}"`;
}
