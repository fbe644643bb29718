import { Agent, createServer, request as forward } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What reached the remote through the proxy since the last `reset()`. */
export interface RemoteCounts {
  /** Requests forwarded, by method (CORS preflights are `OPTIONS`). */
  byMethod: Record<string, number>;
  /** Forwarded requests by `METHOD status`, e.g. `PUT 201`. */
  byAnswer: Record<string, number>;
  /** Requests refused while down (the remote was unreachable). */
  refused: number;
  /** Bytes the remote's clients sent (request lines, headers and bodies) and received (the same of the answers). */
  bytesUp: number;
  bytesDown: number;
}

/** A proxy in front of the remote that counts requests and can play an unreachable remote. */
export interface CountingProxy {
  /** The remote's root collection through the proxy. */
  readonly url: string;
  /** Down: every connection is cut before an answer, as if the remote were unreachable. */
  setUp(up: boolean): void;
  readonly counts: RemoteCounts;
  reset(): void;
  close(): Promise<void>;
}

/** Starts the proxy on 127.0.0.1 in front of `target` (a root URL ending in `/`). */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true });
  let up = true;
  const fresh = (): RemoteCounts => ({
    byMethod: {},
    byAnswer: {},
    refused: 0,
    bytesUp: 0,
    bytesDown: 0,
  });
  let counts = fresh();
  let origin = '';
  const bump = (table: Record<string, number>, name: string) => {
    table[name] = (table[name] ?? 0) + 1;
  };

  const server = createServer((request, response) => {
    if (!up) {
      counts.refused += 1;
      request.socket.destroy();
      return;
    }
    const method = request.method ?? 'GET';
    bump(counts.byMethod, method);
    const counted = counts;
    counted.bytesUp += headBytes(`${method} ${request.url ?? '/'} HTTP/1.1`, request.rawHeaders);
    request.on('data', (chunk: Buffer) => (counted.bytesUp += chunk.byteLength));
    const headers: IncomingHttpHeaders = { ...request.headers, host: upstream.host };
    const destination = headers['destination'];
    if (typeof destination === 'string' && destination.startsWith(origin)) {
      headers['destination'] = upstream.origin + destination.slice(origin.length);
    }
    const outgoing = forward(
      { agent, host: upstream.hostname, port: upstream.port, method, path: request.url, headers },
      (reply) => {
        bump(counts.byAnswer, `${method} ${reply.statusCode ?? 0}`);
        const status = `HTTP/1.1 ${reply.statusCode ?? 0} ${reply.statusMessage ?? ''}`;
        counted.bytesDown += headBytes(status, reply.rawHeaders);
        reply.on('data', (chunk: Buffer) => (counted.bytesDown += chunk.byteLength));
        response.writeHead(
          reply.statusCode ?? 502,
          reply.statusMessage,
          endToEnd(reply.rawHeaders),
        );
        reply.pipe(response);
      },
    );
    outgoing.once('error', () => request.socket.destroy());
    request.pipe(outgoing);
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', done);
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin + upstream.pathname,
    setUp(value) {
      up = value;
      if (!up) server.closeIdleConnections();
    },
    get counts() {
      return counts;
    },
    reset() {
      counts = fresh();
    },
    close: () =>
      new Promise<void>((done, fail) => {
        server.close((error) => (error ? fail(error) : done()));
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}

// Hop-by-hop headers belong to one connection (RFC 9110 §7.6.1); node sets its own.
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'upgrade',
  'trailer',
  'te',
]);

function endToEnd(raw: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (!hopByHop.has(name.toLowerCase())) kept.push(name, raw[i + 1] ?? '');
  }
  return kept;
}

// The bytes of a message's start line and headers as HTTP/1.1 sends them (bodies are counted as they pass).
function headBytes(startLine: string, raw: string[]): number {
  let bytes = Buffer.byteLength(startLine) + 4;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    bytes += Buffer.byteLength(raw[i] ?? '') + Buffer.byteLength(raw[i + 1] ?? '') + 4;
  }
  return bytes;
}
