import type { IncomingMessage } from 'node:http';

/** What a request must hold in a {@link PathLock} while it runs. */
export interface LockScope {
  readonly paths: readonly string[];
  readonly exclusive: boolean;
}

const MUTATING = new Set(['PUT', 'DELETE', 'MKCOL', 'PROPPATCH', 'LOCK', 'UNLOCK', 'MOVE', 'COPY']);

/**
 * Mutations hold their path (and MOVE's/COPY's Destination) exclusively: nephele checks
 * preconditions and writes with awaits in between, so without this two `If-None-Match: *` PUTs
 * or two `Overwrite: F` MOVEs could both win. Reads hold their path shared because nephele
 * moves a collection by creating the target, moving each child, then deleting the source: a
 * reader must never see a target folder that is still being filled.
 */
export function requestLockScope(request: IncomingMessage): LockScope {
  const method = request.method ?? 'GET';
  const url = new URL(request.url ?? '/', 'http://placeholder');
  const paths = [lockPath(url.pathname)];
  const destination = request.headers.destination;
  if ((method === 'MOVE' || method === 'COPY') && typeof destination === 'string') {
    // nephele resolves Destination against the request URL; an unparsable one gets its 400 there.
    if (URL.canParse(destination, url)) paths.push(lockPath(new URL(destination, url).pathname));
  }
  return { paths, exclusive: MUTATING.has(method) };
}

function lockPath(pathname: string): string {
  let decoded = pathname;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    // A malformed escape is nephele's to reject; lock on the raw text meanwhile.
  }
  return decoded.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
}
