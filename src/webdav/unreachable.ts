import { SyncError } from '../errors/SyncError.ts';
import type { RemoteConfig } from './remoteConfig.ts';

/**
 * A fetch that failed without an answer. A browser fails a request whose
 * answer it may not show (CORS) with the same TypeError as one with no
 * network, so a cross-origin failure while online is probed once with a
 * `no-cors` GET, which needs no CORS: if that gets any answer while a plain
 * CORS GET of the collection still fails, the server is up and its CORS
 * headers are what is wrong ([lastError codes](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md#what-lasterrorcode-can-say-and-what-to-do)).
 */
export async function unreachable(
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
  if (!(await answers(remote, { mode: 'no-cors' }))) return notAnswered;
  // A connection that broke once (a flaky network, a proxy restart) fails the same way: if a plain
  // CORS request is shown now, CORS is fine and the request was simply not answered.
  if (await answers(remote, { headers, redirect: 'manual' })) return notAnswered;
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

// Whether a request of this shape gets any answer now; an opaque one counts for `no-cors`.
async function answers(remote: RemoteConfig, init: RequestInit): Promise<boolean> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), remote.timeoutMs);
  try {
    const response = await remote.fetch(remote.url, {
      ...init,
      method: 'GET',
      cache: 'no-store',
      credentials: 'omit',
      signal: timeout.signal,
    });
    await response.body?.cancel();
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
