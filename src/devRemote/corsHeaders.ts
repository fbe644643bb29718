import type { IncomingMessage, ServerResponse } from 'node:http';

/** Methods a page's worker may send cross-origin to the remote. */
export const CORS_ALLOW_METHODS = 'GET, HEAD, PUT, DELETE, OPTIONS, PROPFIND, MKCOL, COPY, MOVE';
/** Request headers the sync engine sends. */
export const CORS_ALLOW_HEADERS =
  'Authorization, Content-Type, Depth, Destination, Overwrite, If-Match, If-None-Match, Idempotency-Key';
/** Response headers the sync engine reads. */
export const CORS_EXPOSE_HEADERS = 'ETag, Location, Last-Modified, DAV, Content-Length';

/** Which web origins may use the server from a browser: a list, or `any` (only for tests). */
export type AllowedOrigins = readonly string[] | 'any';

/** True when the request comes from no browser page, or from one the server allows. */
export function originAllowed(request: IncomingMessage, allowed: AllowedOrigins): boolean {
  const origin = request.headers.origin;
  return origin === undefined || allowed === 'any' || allowed.includes(origin);
}

/**
 * Sets CORS headers before anything else answers, so that 401s and errors carry them too:
 * a browser hides an answer without them, and the worker would see a bare network error.
 * Call it only for an allowed origin: echoing any origin would let every web site the user
 * visits read the remote and plant versions in it.
 */
export function setCorsHeaders(request: IncomingMessage, response: ServerResponse): void {
  response.setHeader('Access-Control-Allow-Origin', request.headers.origin ?? '*');
  response.setHeader('Vary', 'Origin');
  response.setHeader('Access-Control-Allow-Methods', CORS_ALLOW_METHODS);
  response.setHeader('Access-Control-Allow-Headers', CORS_ALLOW_HEADERS);
  response.setHeader('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
  response.setHeader('Access-Control-Max-Age', '600');
}

/** A preflight never carries credentials (Fetch spec), so it must be answered before auth. */
export function isCorsPreflight(request: IncomingMessage): boolean {
  return (
    request.method === 'OPTIONS' &&
    request.headers.origin !== undefined &&
    request.headers['access-control-request-method'] !== undefined
  );
}
