/**
 * An answer as it is stored in a receipt and replayed: status, headers and the
 * body's text. Replays encode the same text, so the bytes are identical.
 */
export interface StoredAnswer {
  status: number;
  headers: [name: string, value: string][];
  body: string;
}

/** Builds a JSON answer. */
export function jsonAnswer(
  status: number,
  value: unknown,
  headers: [string, string][] = [],
  contentType = 'application/json',
): StoredAnswer {
  return {
    status,
    headers: [['content-type', contentType], ...headers],
    body: JSON.stringify(value),
  };
}

/** Turns a stored answer into a Response; a replay is marked `Idempotent-Replayed: true`. */
export function toResponse(answer: StoredAnswer, replayed = false): Response {
  const headers = new Headers(answer.headers);
  if (replayed) headers.set('idempotent-replayed', 'true');
  const nullBody = answer.status === 204 || answer.status === 304;
  return new Response(nullBody ? null : answer.body, { status: answer.status, headers });
}
