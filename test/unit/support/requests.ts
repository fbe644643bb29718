/** Origin of every request the unit tests build; `handle()` does not check it. */
export const origin = 'http://localhost';

export interface SendOptions {
  /** Sent as the `Idempotency-Key` header, as an RFC 8941 string (quoted, `"` and `\\` escaped). */
  key?: string;
  /** A JSON value (sent as application/json) or raw text/bytes. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** Builds a request to `{origin}{path}`; an object body is sent as `application/json`. */
export function actorRequest(method: string, path: string, options: SendOptions = {}): Request {
  const headers = new Headers(options.headers);
  if (options.key !== undefined) {
    headers.set('idempotency-key', `"${options.key.replace(/["\\]/g, '\\$&')}"`);
  }
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (typeof options.body === 'string' || options.body instanceof Uint8Array) {
    body = options.body as string | Uint8Array<ArrayBuffer>;
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  return new Request(
    `${origin}${path}`,
    body === undefined ? { method, headers } : { method, headers, body },
  );
}

/** A response's status, headers (minus the replay marker) and body text, for byte-for-byte comparisons. */
export async function snapshot(response: Response): Promise<{
  status: number;
  headers: [string, string][];
  body: string;
}> {
  const headers = [...response.headers].filter(([name]) => name !== 'idempotent-replayed');
  return { status: response.status, headers, body: await response.text() };
}

/** The parsed JSON body of a response. */
export async function json(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}
