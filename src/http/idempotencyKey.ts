import { ActorError } from '../errors/ActorError.ts';

/** Header and query parameter that carry the key (IETF draft-ietf-httpapi-idempotency-key-header). */
export const idempotencyKeyName = 'Idempotency-Key';

const visibleAscii = /^[\x21-\x7e]{1,255}$/;
// A bare token may not contain what would make the header a list, a string or parameters.
const bareKey = /^[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]{1,255}$/;

/**
 * Checks that a decoded key is 1-255 visible ASCII characters. `.` and `..`
 * are refused too: URL parsing folds them away, so their receipt at
 * `tasks/{key}` could never be read.
 */
export function checkKey(key: string): string {
  if (!visibleAscii.test(key) || key === '.' || key === '..') {
    throw new ActorError('key-malformed', 'An Idempotency-Key is 1-255 visible ASCII characters');
  }
  return key;
}

/** Reads an RFC 8941 sf-string (`"abc"`, with `\"` and `\\` escapes) or a bare token. */
export function parseKeyHeader(value: string): string {
  const trimmed = value.trim();
  if (!trimmed.startsWith('"')) {
    if (!bareKey.test(trimmed)) {
      throw new ActorError(
        'key-malformed',
        'Idempotency-Key must be a quoted string or a bare token',
      );
    }
    return trimmed;
  }
  let key = '';
  for (let i = 1; i < trimmed.length; i++) {
    const char = trimmed[i] as string;
    if (char === '\\') {
      const next = trimmed[++i];
      if (next !== '"' && next !== '\\') {
        throw new ActorError('key-malformed', 'Only \\" and \\\\ escapes are allowed in a key');
      }
      key += next;
    } else if (char === '"') {
      if (i !== trimmed.length - 1) {
        throw new ActorError('key-malformed', 'Nothing may follow the quoted Idempotency-Key');
      }
      return checkKey(key);
    } else {
      key += char;
    }
  }
  throw new ActorError('key-malformed', 'Unterminated quoted Idempotency-Key');
}

/**
 * The request's key, from the header or the query parameter. Both present
 * and different is an error; a header key `"abc"` and a query key `abc` agree.
 * Returns undefined when neither is present.
 */
export function readIdempotencyKey(request: Request, url: URL): string | undefined {
  const header = request.headers.get(idempotencyKeyName);
  const fromHeader = header === null ? undefined : parseKeyHeader(header);
  const queryValues = [...new Set(url.searchParams.getAll(idempotencyKeyName))];
  if (queryValues.length > 1) {
    throw new ActorError('key-conflict', 'The Idempotency-Key query parameter is given twice');
  }
  const fromQuery = queryValues[0] === undefined ? undefined : checkKey(queryValues[0]);
  if (fromHeader !== undefined && fromQuery !== undefined && fromHeader !== fromQuery) {
    throw new ActorError('key-conflict');
  }
  return fromHeader ?? fromQuery;
}
