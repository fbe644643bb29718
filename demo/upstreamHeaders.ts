import type { IncomingHttpHeaders } from 'node:http';

/**
 * A request's headers as a proxy at `proxyOrigin` sends them on to `target`: its Host, and a
 * WebDAV Destination (MOVE, COPY) that names the proxy, point at the target instead.
 */
export function upstreamHeaders(
  headers: IncomingHttpHeaders,
  proxyOrigin: string,
  target: URL,
): IncomingHttpHeaders {
  const result: IncomingHttpHeaders = { ...headers, host: target.host };
  const destination = headers.destination;
  if (typeof destination === 'string' && destination.startsWith(proxyOrigin)) {
    result.destination = target.origin + destination.slice(proxyOrigin.length);
  }
  return result;
}
