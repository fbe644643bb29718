import { SyncError } from '../errors/SyncError.ts';
import type { RemoteConfig } from './remoteConfig.ts';

/** One WebDAV request's parts besides method and path. */
export interface DavInit {
  headers?: Record<string, string>;
  body?: string;
}

/**
 * Sends one request to `{remote}{path}`. Never follows a redirect (it could
 * carry the credentials to another origin), never uses the HTTP cache (it
 * would add its own conditions), and turns what no caller can handle — no
 * network, 401/403, a redirect — into a SyncError. Other statuses are the
 * caller's to read: a MOVE's 500 may still have committed.
 */
export async function davRequest(
  remote: RemoteConfig,
  method: string,
  path: string,
  init: DavInit = {},
): Promise<Response> {
  const headers = await remote.headers();
  for (const [name, value] of Object.entries(init.headers ?? {})) headers.set(name, value);
  let response: Response;
  try {
    response = await fetch(remote.url + path, {
      method,
      headers,
      body: init.body ?? null,
      cache: 'no-store',
      redirect: 'manual',
      credentials: 'omit',
    });
  } catch (cause) {
    throw new SyncError('remote-unreachable', `${method} ${path}: the remote did not answer`, {
      cause,
    });
  }
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    throw new SyncError(
      'remote-redirect',
      `${method} ${path}: the remote answered with a redirect`,
      {
        status: response.status,
      },
    );
  }
  if (response.status === 401 || response.status === 403) {
    throw new SyncError(
      'remote-unauthorized',
      `${method} ${path}: ${response.status}, check the remote's credentials`,
      { status: response.status },
    );
  }
  return response;
}

/** The error for a status a step did not expect: 5xx is retried, anything else is a protocol problem. */
export function unexpected(method: string, path: string, response: Response): SyncError {
  const code = response.status >= 500 ? 'remote-server-error' : 'remote-protocol';
  return new SyncError(code, `${method} ${path}: unexpected ${response.status}`, {
    status: response.status,
  });
}
