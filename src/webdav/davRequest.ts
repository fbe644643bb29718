import { SyncError } from '../errors/SyncError.ts';
import type { RemoteConfig } from './remoteConfig.ts';
import { unreachable } from './unreachable.ts';

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

/** The error for a status a step did not expect: 5xx is retried, anything else is a protocol problem. */
export function unexpected(method: string, path: string, response: Response): SyncError {
  const code = response.status >= 500 ? 'remote-server-error' : 'remote-protocol';
  return new SyncError(code, `${method} ${path}: unexpected ${response.status}`, {
    status: response.status,
  });
}
