import { createServer, request as forward } from 'node:http';
import { closeServer, listenLocally } from '../../servers/localServer.ts';
import { upstreamHeaders } from '../../../demo/upstreamHeaders.ts';

/** The CORS policy a strict remote enforces: one origin, these methods and request headers. */
export interface CorsPolicy {
  readonly origin: string;
  readonly methods: readonly string[];
  readonly headers: readonly string[];
}

export interface StrictCorsRemote {
  readonly url: string;
  /** Preflights refused because they asked for more than the policy allows. */
  readonly refused: string[];
  close(): Promise<void>;
}

/**
 * A proxy in front of a WebDAV server that replaces the server's (permissive) CORS answers
 * with exactly `policy`: preflights asking for another origin, method or header are refused,
 * and nothing is exposed or allowed with credentials. A browser worker syncs through it only
 * if the policy covers what it really sends.
 */
export async function startStrictCorsRemote(
  target: string,
  policy: CorsPolicy,
): Promise<StrictCorsRemote> {
  const upstream = new URL(target);
  const allowedMethods = new Set(policy.methods.map((method) => method.toUpperCase()));
  const allowedHeaders = new Set(policy.headers.map((header) => header.toLowerCase()));
  const refused: string[] = [];
  let origin = '';
  const server = createServer((request, response) => {
    const from = request.headers.origin;
    const askedMethod = request.headers['access-control-request-method'];
    if (request.method === 'OPTIONS' && typeof askedMethod === 'string') {
      const askedHeaders = String(request.headers['access-control-request-headers'] ?? '')
        .split(',')
        .map((header) => header.trim().toLowerCase())
        .filter((header) => header !== '');
      const missing = [
        ...(from === policy.origin ? [] : [`origin ${String(from)}`]),
        ...(allowedMethods.has(askedMethod) ? [] : [`method ${askedMethod}`]),
        ...askedHeaders.filter((header) => !allowedHeaders.has(header)).map((h) => `header ${h}`),
      ];
      if (missing.length > 0) {
        refused.push(`${askedMethod} ${request.url ?? ''}: ${missing.join(', ')}`);
        response.writeHead(403).end();
        return;
      }
      response
        .writeHead(204, {
          'access-control-allow-origin': policy.origin,
          'access-control-allow-methods': policy.methods.join(', '),
          'access-control-allow-headers': policy.headers.join(', '),
          'access-control-max-age': '600',
          vary: 'Origin',
        })
        .end();
      return;
    }
    const headers = upstreamHeaders(request.headers, origin, upstream);
    const proxied = forward(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers,
      },
      (reply) => {
        const kept = Object.fromEntries(
          Object.entries(reply.headers).filter(([name]) => !name.startsWith('access-control-')),
        );
        response.writeHead(reply.statusCode ?? 502, {
          ...kept,
          ...(from === policy.origin ? { 'access-control-allow-origin': policy.origin } : {}),
          vary: 'Origin',
        });
        reply.pipe(response);
      },
    );
    proxied.once('error', () => request.socket.destroy());
    request.pipe(proxied);
  });
  origin = await listenLocally(server);
  return {
    url: `${origin}/`,
    refused,
    close: () => closeServer(server),
  };
}
