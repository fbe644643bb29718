import { Agent, createServer, request as forward } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { setCorsHeaders } from '../../src/devRemote/corsHeaders.ts';
import { closeServer, listenLocally } from './localServer.ts';
import { upstreamHeaders } from '../../demo/upstreamHeaders.ts';

/**
 * What the proxy does to a matching request:
 * - `drop`: close the connection without forwarding (the server never saw it);
 * - `delay`: wait `delayMs`, then forward;
 * - `unavailable`: answer 503 with `Retry-After: 1` without forwarding;
 * - `lostAck`: forward, let the server answer in full, then close the connection without
 *   answering (the server committed, the client never heard);
 * - `overwrite`: forward with `Overwrite: F` turned into `Overwrite: T`, so the server behaves
 *   like one whose MOVE and COPY ignore `Overwrite: F` (an unsafe remote, DESIGN.md §6.6).
 *   Counted only for requests that carried `Overwrite: F`.
 * - `raceMove`: a MOVE or COPY with `Overwrite: F` checks whether its destination exists
 *   (PROPFIND Depth 0 on the server; 412 when it does), waits `delayMs` (default 100), then
 *   forwards with `Overwrite: T`: a server that checks and then renames, like SabreDAV's file
 *   tree, so that simultaneous claims of one new name can all win (DESIGN.md §6b). Counted
 *   only for requests that carried `Overwrite: F`.
 * - `keepDestination`: forward a MOVE or COPY with `Destination` as the client sent it (naming
 *   the proxy), like a reverse proxy that rewrites only `Host`. With `mount`, that names a
 *   path the server does not have. Counted only for requests that carried a `Destination`.
 * - `ignoreIfNoneMatch`: forward without `If-None-Match`, so the server behaves like nginx or
 *   rclone, which ignore it. Counted only for requests that carried one.
 * - `serverError`: answer 500 without forwarding.
 * - `bareErrors`: forward, and strip the `Access-Control-*` headers from an answer of 400 or
 *   more, like a server whose errors (a 401 from its auth module) lack CORS: a browser then
 *   fails the request with a bare TypeError.
 */
export type FaultKind =
  | 'drop'
  | 'delay'
  | 'unavailable'
  | 'lostAck'
  | 'overwrite'
  | 'raceMove'
  | 'keepDestination'
  | 'ignoreIfNoneMatch'
  | 'serverError'
  | 'bareErrors';

const faultKinds: readonly FaultKind[] = [
  'drop',
  'delay',
  'unavailable',
  'lostAck',
  'overwrite',
  'raceMove',
  'keepDestination',
  'ignoreIfNoneMatch',
  'serverError',
  'bareErrors',
];

/** A fault for requests that match `method` (any when absent) and `path` (any when absent). */
export interface FaultRule {
  readonly fault: FaultKind;
  readonly method?: string;
  /** Tested against the request target as sent (path and query, still percent-encoded). */
  readonly path?: RegExp;
  /** For `delay` (default 1000) and `raceMove`, the window between check and rename (default 100). */
  readonly delayMs?: number;
  /** How many matching requests it hits before it lapses. Default: all. */
  readonly times?: number;
}

/** A running proxy. */
export interface FaultProxy {
  /** The target URL as seen through the proxy (same path, the proxy's origin). */
  readonly url: string;
  /** Adds a rule (the first matching rule wins) and returns a function that removes it. */
  inject(rule: FaultRule): () => void;
  /** Removes every rule. */
  clear(): void;
  /** Faults applied so far, by kind. */
  readonly faults: Readonly<Record<FaultKind, number>>;
  /** `raceMove` MOVEs that got a 2xx for a destination an earlier one had already won: two winners. */
  readonly doubleWins: number;
  close(): Promise<void>;
}

// Hop-by-hop headers belong to one connection (RFC 9110 §7.6.1); node sets its own.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * Starts an HTTP proxy on 127.0.0.1 in front of `target` that forwards every method, header
 * and body as is, except for the faults it is told to inject. `Destination` headers are
 * rewritten to the target's origin; `Host` becomes the target's, so the server's own
 * `Location`s and hrefs name the target (they are not rewritten back). With `mount` (a path
 * that starts and ends with `/`), the target is served under that path instead of its own,
 * as a reverse proxy mounts a server under `/dav/`; requests outside it are forwarded as is.
 *
 * @example
 * const proxy = await startFaultProxy({ target: server.url });
 * proxy.inject({ fault: 'lostAck', method: 'MOVE', path: /\/v\/\d+\/$/, times: 1 });
 */
export async function startFaultProxy(options: {
  readonly target: string;
  readonly port?: number;
  readonly mount?: string;
}): Promise<FaultProxy> {
  const target = new URL(options.target);
  const mount = options.mount ?? target.pathname;
  const agent = new Agent({ keepAlive: true });
  const rules: { rule: FaultRule; left: number }[] = [];
  const faults = Object.fromEntries(faultKinds.map((kind) => [kind, 0])) as Record<
    FaultKind,
    number
  >;
  let proxyOrigin = '';
  // Destinations a `raceMove` MOVE landed on, and how often one landed where another already had.
  const raceWins = new Map<string, number>();
  let doubleWins = 0;
  // The server's path for a path under the proxy's mount.
  const upstreamPath = (path: string) =>
    path.startsWith(mount) ? target.pathname + path.slice(mount.length) : path;

  const take = (request: IncomingMessage): FaultRule | undefined => {
    const entry = rules.find(
      ({ rule, left }) =>
        left > 0 &&
        (rule.method === undefined || rule.method.toUpperCase() === request.method) &&
        (rule.path === undefined || rule.path.test(request.url ?? '/')) &&
        applies(rule.fault, request.headers),
    );
    if (entry === undefined) return undefined;
    entry.left -= 1;
    faults[entry.rule.fault] += 1;
    return entry.rule;
  };

  const pass = (
    request: IncomingMessage,
    response: ServerResponse,
    {
      answer = true,
      overrides = {},
      bareErrors = false,
      onStatus,
    }: {
      answer?: boolean;
      overrides?: IncomingHttpHeaders;
      bareErrors?: boolean;
      onStatus?: (status: number) => void;
    } = {},
  ) => {
    const upstream = forward(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: upstreamPath(request.url ?? '/'),
        headers: withoutUnset({ ...upstreamRequestHeaders(request.headers), ...overrides }),
      },
      (reply) => {
        onStatus?.(reply.statusCode ?? 502);
        if (!answer) {
          // Read the whole answer first, so the server is surely done, then hang up.
          reply.resume();
          reply.once('end', () => request.socket.destroy());
          return;
        }
        const status = reply.statusCode ?? 502;
        const headers = withoutHopByHop(reply, bareErrors && status >= 400);
        response.writeHead(status, reply.statusMessage, headers);
        reply.pipe(response);
      },
    );
    // A server that is down looks like a network failure to the client, as it would without us.
    upstream.once('error', () => request.socket.destroy());
    request.pipe(upstream);
  };

  const upstreamRequestHeaders = (headers: IncomingHttpHeaders): IncomingHttpHeaders => {
    const destination = headers.destination;
    const mounted =
      typeof destination === 'string' && destination.startsWith(proxyOrigin + mount)
        ? {
            ...headers,
            destination: proxyOrigin + upstreamPath(destination.slice(proxyOrigin.length)),
          }
        : headers;
    return forwardedHeaders(mounted, proxyOrigin, target);
  };

  // Whether the destination of a MOVE or COPY exists on the server, asked with its own credentials.
  const destinationExists = (request: IncomingMessage): Promise<boolean> => {
    const destination = new URL(String(upstreamRequestHeaders(request.headers).destination));
    return new Promise((resolve, reject) => {
      const check = forward(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: 'PROPFIND',
          path: destination.pathname,
          headers: {
            host: target.host,
            depth: '0',
            ...(request.headers.authorization === undefined
              ? {}
              : { authorization: request.headers.authorization }),
          },
        },
        (reply) => {
          reply.resume();
          resolve(reply.statusCode === 207);
        },
      );
      check.once('error', reject);
      check.end();
    });
  };

  const raceMove = async (request: IncomingMessage, response: ServerResponse, windowMs: number) => {
    if (await destinationExists(request)) {
      setCorsHeaders(request, response);
      response.writeHead(412).end('destination exists\n');
      return;
    }
    await sleep(windowMs);
    if (request.destroyed) return;
    const destination = String(request.headers.destination);
    pass(request, response, {
      overrides: { overwrite: 'T' },
      onStatus: (status) => {
        if (status >= 300) return;
        const wins = (raceWins.get(destination) ?? 0) + 1;
        raceWins.set(destination, wins);
        if (wins > 1) doubleWins += 1;
      },
    });
  };

  const server = createServer((request, response) => {
    const rule = take(request);
    switch (rule?.fault) {
      case 'drop':
        request.socket.destroy();
        return;
      case 'unavailable':
        setCorsHeaders(request, response);
        response.writeHead(503, { 'Retry-After': '1' }).end('injected fault\n');
        return;
      case 'delay':
        void sleep(rule.delayMs ?? 1000).then(() => {
          if (!request.destroyed) pass(request, response);
        });
        return;
      case 'lostAck':
        pass(request, response, { answer: false });
        return;
      case 'overwrite':
        pass(request, response, { overrides: { overwrite: 'T' } });
        return;
      case 'raceMove':
        raceMove(request, response, rule.delayMs ?? 100).catch(() => request.socket.destroy());
        return;
      case 'keepDestination':
        pass(request, response, { overrides: { destination: request.headers.destination } });
        return;
      case 'ignoreIfNoneMatch':
        pass(request, response, { overrides: { 'if-none-match': undefined } });
        return;
      case 'serverError':
        setCorsHeaders(request, response);
        response.writeHead(500).end('injected fault\n');
        return;
      case 'bareErrors':
        pass(request, response, { bareErrors: true });
        return;
      case undefined:
        pass(request, response);
    }
  });

  proxyOrigin = await listenLocally(server, options.port);

  return {
    url: proxyOrigin + mount + target.search,
    inject(rule) {
      const entry = { rule, left: rule.times ?? Infinity };
      rules.push(entry);
      return () => {
        const index = rules.indexOf(entry);
        if (index >= 0) rules.splice(index, 1);
      };
    },
    clear: () => void rules.splice(0),
    faults,
    get doubleWins() {
      return doubleWins;
    },
    close: () => {
      const closed = closeServer(server);
      agent.destroy();
      return closed;
    },
  };
}

function forwardedHeaders(
  headers: IncomingHttpHeaders,
  proxyOrigin: string,
  target: URL,
): IncomingHttpHeaders {
  const endToEnd = Object.fromEntries(
    Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)),
  );
  return upstreamHeaders(endToEnd, proxyOrigin, target);
}

// An override of `undefined` removes the header.
function withoutUnset(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined));
}

// Each fault that changes a header only counts for requests that carry it.
function applies(fault: FaultKind, headers: IncomingHttpHeaders): boolean {
  switch (fault) {
    case 'overwrite':
    case 'raceMove':
      return String(headers.overwrite).toUpperCase() === 'F';
    case 'keepDestination':
      return headers.destination !== undefined;
    case 'ignoreIfNoneMatch':
      return headers['if-none-match'] !== undefined;
    default:
      return true;
  }
}

function withoutHopByHop(reply: IncomingMessage, withoutCors = false): string[] {
  // rawHeaders keeps repeated headers apart (Apache sends two DAV headers).
  const kept: string[] = [];
  for (let i = 0; i + 1 < reply.rawHeaders.length; i += 2) {
    const name = (reply.rawHeaders[i] ?? '').toLowerCase();
    if (HOP_BY_HOP.has(name) || (withoutCors && name.startsWith('access-control-'))) continue;
    kept.push(reply.rawHeaders[i] ?? '', reply.rawHeaders[i + 1] ?? '');
  }
  return kept;
}
