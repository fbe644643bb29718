import { Agent, createServer, request as forward } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { setCorsHeaders } from '../../demo/webdav/corsHeaders.ts';
import { closeServer, listenLocally } from './localServer.ts';
import { upstreamHeaders } from './upstreamHeaders.ts';

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
 */
export type FaultKind = 'drop' | 'delay' | 'unavailable' | 'lostAck' | 'overwrite';

/** A fault for requests that match `method` (any when absent) and `path` (any when absent). */
export interface FaultRule {
  readonly fault: FaultKind;
  readonly method?: string;
  /** Tested against the request target as sent (path and query, still percent-encoded). */
  readonly path?: RegExp;
  /** For `delay`. Default 1000. */
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
 * `Location`s and hrefs name the target (they are not rewritten back).
 *
 * @example
 * const proxy = await startFaultProxy({ target: server.url });
 * proxy.inject({ fault: 'lostAck', method: 'MOVE', path: /\/v\/\d+\/$/, times: 1 });
 */
export async function startFaultProxy(options: {
  readonly target: string;
  readonly port?: number;
}): Promise<FaultProxy> {
  const target = new URL(options.target);
  const agent = new Agent({ keepAlive: true });
  const rules: { rule: FaultRule; left: number }[] = [];
  const faults: Record<FaultKind, number> = {
    drop: 0,
    delay: 0,
    unavailable: 0,
    lostAck: 0,
    overwrite: 0,
  };
  let proxyOrigin = '';

  const take = (request: IncomingMessage): FaultRule | undefined => {
    const entry = rules.find(
      ({ rule, left }) =>
        left > 0 &&
        (rule.method === undefined || rule.method.toUpperCase() === request.method) &&
        (rule.path === undefined || rule.path.test(request.url ?? '/')) &&
        (rule.fault !== 'overwrite' || String(request.headers.overwrite).toUpperCase() === 'F'),
    );
    if (entry === undefined) return undefined;
    entry.left -= 1;
    faults[entry.rule.fault] += 1;
    return entry.rule;
  };

  const pass = (
    request: IncomingMessage,
    response: ServerResponse,
    answer: boolean,
    overrides: IncomingHttpHeaders = {},
  ) => {
    const upstream = forward(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: { ...forwardedHeaders(request.headers, proxyOrigin, target), ...overrides },
      },
      (reply) => {
        if (!answer) {
          // Read the whole answer first, so the server is surely done, then hang up.
          reply.resume();
          reply.once('end', () => request.socket.destroy());
          return;
        }
        response.writeHead(reply.statusCode ?? 502, reply.statusMessage, withoutHopByHop(reply));
        reply.pipe(response);
      },
    );
    // A server that is down looks like a network failure to the client, as it would without us.
    upstream.once('error', () => request.socket.destroy());
    request.pipe(upstream);
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
          if (!request.destroyed) pass(request, response, true);
        });
        return;
      case 'lostAck':
        pass(request, response, false);
        return;
      case 'overwrite':
        pass(request, response, true, { overwrite: 'T' });
        return;
      case undefined:
        pass(request, response, true);
    }
  });

  proxyOrigin = await listenLocally(server, options.port);

  return {
    url: proxyOrigin + target.pathname + target.search,
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

function withoutHopByHop(reply: IncomingMessage): string[] {
  // rawHeaders keeps repeated headers apart (Apache sends two DAV headers).
  const kept: string[] = [];
  for (let i = 0; i + 1 < reply.rawHeaders.length; i += 2) {
    const name = reply.rawHeaders[i] ?? '';
    if (!HOP_BY_HOP.has(name.toLowerCase())) kept.push(name, reply.rawHeaders[i + 1] ?? '');
  }
  return kept;
}
