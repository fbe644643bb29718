/**
 * Every stable error code the worker answers with, its HTTP status and title.
 * Codes are part of the public contract ([problem codes](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#problem-codes)): never rename one.
 */
export const problemCodes = {
  'invalid-actor-id': [400, 'Invalid actor id'],
  'invalid-path': [404, 'No such actor resource'],
  'method-not-allowed': [405, 'Method not allowed'],
  'key-missing': [400, 'Idempotency-Key missing'],
  'key-malformed': [400, 'Idempotency-Key malformed'],
  'key-conflict': [400, 'Idempotency-Key header and query parameter differ'],
  'key-reused': [422, 'Idempotency-Key reused for a different request'],
  'key-in-flight': [409, 'A request with this Idempotency-Key is still in progress'],
  'unsupported-media-type': [415, 'Body must be application/json'],
  'invalid-json': [400, 'Body is not valid JSON'],
  'body-not-object': [400, 'Body must be a JSON object'],
  'body-too-deep': [400, 'Body is nested too deeply'],
  'body-too-large': [413, 'Body too large'],
  'command-type-missing': [400, 'Command body needs a string "type"'],
  'unknown-command': [404, 'Unknown command'],
  'receipt-not-found': [404, 'No receipt for this key'],
  'precondition-failed': [412, 'If-Match does not match the current state'],
  'command-rejected': [409, 'The command rejected the message'],
  'turn-timeout': [500, 'The command ran past turnTimeoutMs'],
  'command-invalid': [500, 'The command returned something other than { state, result }'],
  'command-nondeterministic': [500, 'The command answered the same input in two ways'],
  'storage-full': [507, 'Storage quota exceeded on this device'],
  'too-many-pending': [503, 'Too many pending messages for this actor'],
  'internal-error': [500, 'Internal error'],
  'answer-retired': [
    410,
    'The remote dropped this answer while the device was away past retireAfterMs',
  ],
} as const satisfies Record<string, readonly [number, string]>;

/** A stable error code of actordav. */
export type ProblemCode = keyof typeof problemCodes;
