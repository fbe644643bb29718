import { createServer, request as httpRequest } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { upstreamHeaders } from './upstreamHeaders.ts';

/** A running gate: a pass-through to the remote that airplane mode cuts. */
export interface AirplaneGate {
  /** The target URL as seen through the gate: the same path, the gate's origin, no credentials. */
  readonly url: string;
  readonly airplane: boolean;
  /** On: every open connection is destroyed and new ones are dropped at once. */
  setAirplane(on: boolean): void;
  close(): Promise<void>;
}

/**
 * Starts a small TCP-level pass-through in front of a WebDAV remote. While
 * airplane mode is on, it destroys every connection, so the service worker's
 * requests really fail (`TypeError: Failed to fetch`) as they would with no
 * network — the worker is not told anything. A request cut mid-flight may
 * still have reached the remote, as on a real network. Credentials in the
 * target URL (`user:pass@`) are added by the gate as Basic auth, so neither
 * the page nor the worker ever holds them (DESIGN.md §7).
 *
 * @example
 * const gate = await startAirplaneGate({ target: 'http://127.0.0.1:5174/', port: 5175 });
 * gate.setAirplane(true);
 */
export async function startAirplaneGate(options: {
  target: string;
  host?: string;
  port?: number;
}): Promise<AirplaneGate> {
  const target = new URL(options.target);
  const authorization =
    target.username === ''
      ? undefined
      : `Basic ${Buffer.from(
          `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`,
        ).toString('base64')}`;
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const sockets = new Set<Socket>();
  let airplane = false;

  const forward = (request: IncomingMessage, response: ServerResponse) => {
    if (airplane) {
      request.socket.destroy();
      return;
    }
    const upstream = send(
      new URL(request.url ?? '/', target.origin),
      {
        method: request.method,
        // Host and MOVE's Destination name the gate, by whatever name the worker reached it:
        // lighttpd and x/net/webdav answer 502 to a Destination on another host:port, and the
        // worker's claims would never land.
        headers: {
          ...upstreamHeaders(request.headers, `http://${request.headers.host ?? ''}`, target),
          ...(authorization === undefined ? {} : { authorization }),
        },
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    // An unreachable remote looks the same to the worker as airplane mode: a dropped connection.
    upstream.on('error', () => request.socket.destroy());
    response.on('close', () => upstream.destroy());
    request.pipe(upstream);
  };

  const server = createServer(forward);
  server.on('connection', (socket) => {
    if (airplane) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => done());
  });
  const { port } = server.address() as AddressInfo;
  const url = new URL(target.href);
  url.username = '';
  url.password = '';
  url.hostname = options.host ?? '127.0.0.1';
  url.port = String(port);
  url.protocol = 'http:';

  return {
    url: url.href,
    get airplane() {
      return airplane;
    },
    setAirplane(on) {
      airplane = on;
      if (on) for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((done, fail) => {
        server.close((error) => (error ? fail(error) : done()));
        for (const socket of sockets) socket.destroy();
      }),
  };
}
