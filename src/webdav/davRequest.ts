import { SyncError } from '../errors/SyncError.ts';
import type { RemoteConfig } from './remoteConfig.ts';

/** One WebDAV request's parts besides method and path. */
export interface DavInit {
  headers?: Record<string, string>;
  body?: string;
}

// Statuses whose Response must be built with a null body.
const nullBodyStatuses = new Set([204, 205, 304]);

/**
 * Sends one request to `{remote}{path}`. Never follows a redirect (it could
 * carry the credentials to another origin), never uses the HTTP cache (it
 * would add its own conditions), and turns what no caller can handle — no
 * network, no answer within `remote.timeoutMs`, a CORS refusal, 401/403, a
 * redirect — into a SyncError. Other statuses are the caller's to read: a
 * MOVE's 500 may still have committed.
 *
 * The answer's body is read before this resolves, under the same time limit
 * ([lastError codes](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md#what-lasterrorcode-can-say-and-what-to-do)): a server that sends headers and then stalls holds nothing.
 */
export async function davRequest(
  remote: RemoteConfig,
  method: string,
  path: string,
  init: DavInit = {},
): Promise<Response> {
  const headers = await remote.headers();
  for (const [name, value] of Object.entries(init.headers ?? {})) headers.set(name, value);
  const url = remote.url + path;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), remote.timeoutMs);
  const timedOut = (cause: unknown) =>
    new SyncError(
      'remote-timeout',
      `${method} ${path}: no answer within ${remote.timeoutMs} ms (options.remote.timeoutMs)`,
      { cause },
    );
  try {
    let response: Response;
    try {
      response = await remote.fetch(url, {
        method,
        headers,
        body: init.body ?? null,
        cache: 'no-store',
        redirect: 'manual',
        credentials: 'omit',
        signal: timeout.signal,
      });
    } catch (cause) {
      if (timeout.signal.aborted) throw timedOut(cause);
      throw await unreachable(remote, method, path, headers, cause);
    }
    refuseUnusable(method, path, response);
    let body: ArrayBuffer | null;
    try {
      body = nullBodyStatuses.has(response.status) ? null : await response.arrayBuffer();
    } catch (cause) {
      if (timeout.signal.aborted) throw timedOut(cause);
      throw new SyncError('remote-unreachable', `${method} ${path}: the answer broke off`, {
        cause,
      });
    }
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  } finally {
    clearTimeout(timer);
  }
}

function refuseUnusable(method: string, path: string, response: Response): void {
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    void response.body?.cancel().catch(() => undefined);
    throw new SyncError(
      'remote-redirect',
      `${method} ${path}: the remote answered with a redirect`,
      { status: response.status },
    );
  }
  if (response.status === 401 || response.status === 403) {
    void response.body?.cancel().catch(() => undefined);
    throw new SyncError(
      'remote-unauthorized',
      `${method} ${path}: ${response.status}, check the remote's credentials`,
      { status: response.status },
    );
  }
}

/**
 * A fetch that failed without an answer. A browser fails a request whose
 * answer it may not show (CORS) with the same TypeError as one with no
 * network, so a cross-origin failure while online is probed once with a
 * `no-cors` GET, which needs no CORS: if that gets any answer, the server is
 * up and its CORS headers are what is wrong ([lastError codes](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md#what-lasterrorcode-can-say-and-what-to-do)).
 */
async function unreachable(
  remote: RemoteConfig,
  method: string,
  path: string,
  headers: Headers,
  cause: unknown,
): Promise<SyncError> {
  const notAnswered = new SyncError(
    'remote-unreachable',
    `${method} ${path}: the remote did not answer`,
    { cause },
  );
  if (!(cause instanceof TypeError) || !crossOrigin(remote.url) || !online()) return notAnswered;
  if (!(await answersWithoutCors(remote))) return notAnswered;
  const credentials = headers.has('authorization')
    ? ' A 401 for wrong credentials without those headers looks the same.'
    : '';
  return new SyncError(
    'remote-cors',
    `${method} ${path}: the remote answers, but the browser refused to show its answer: ` +
      'its CORS headers are missing or wrong. Every answer, also error answers (401, 403, 404, ' +
      '5xx), must carry Access-Control-Allow-Origin for this origin, and preflights must allow ' +
      `the WebDAV methods and headers (see the README).${credentials}`,
    { cause },
  );
}

async function answersWithoutCors(remote: RemoteConfig): Promise<boolean> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), remote.timeoutMs);
  try {
    // An opaque answer (any status, nothing readable) is all this asks for.
    await remote.fetch(remote.url, {
      mode: 'no-cors',
      method: 'GET',
      cache: 'no-store',
      credentials: 'omit',
      signal: timeout.signal,
    });
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

// Outside a browser (no origin) there is no CORS to blame.
function crossOrigin(url: string): boolean {
  return typeof location !== 'undefined' && new URL(url).origin !== location.origin;
}

function online(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}

/** The error for a status a step did not expect: 5xx is retried, anything else is a protocol problem. */
export function unexpected(method: string, path: string, response: Response): SyncError {
  const code = response.status >= 500 ? 'remote-server-error' : 'remote-protocol';
  return new SyncError(code, `${method} ${path}: unexpected ${response.status}`, {
    status: response.status,
  });
}
