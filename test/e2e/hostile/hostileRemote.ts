import { createServer, request as forward, type IncomingMessage } from 'node:http';
import { setCorsHeaders } from '../../../src/devRemote/corsHeaders.ts';
import { closeServer, listenLocally } from '../../servers/localServer.ts';
import { upstreamHeaders } from '../../../demo/upstreamHeaders.ts';

/** A canned answer the hostile remote gives instead of the real server's. */
export interface CannedAnswer {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Answers matching requests itself (never OPTIONS preflights, which go on to the server). */
export interface Override {
  readonly method: string;
  readonly path: RegExp;
  readonly answer: CannedAnswer;
}

/** A request as the hostile remote (or the stranger) saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
}

export interface HostileRemote {
  /** The collection URL the worker is given. */
  readonly url: string;
  /** Every request that reached it, in order. */
  readonly requests: SeenRequest[];
  /** Adds an override; returns a function that removes it. */
  override(rule: Override): () => void;
  close(): Promise<void>;
}

/**
 * A remote that behaves like the real server behind it, except where it is told to lie: a
 * tiny node:http proxy whose overrides answer with broken XML, HTML, redirects… Its answers
 * carry the CORS headers a browser needs to show them to the worker at all.
 */
export async function startHostileRemote(target: string): Promise<HostileRemote> {
  const upstream = new URL(target);
  const overrides: Override[] = [];
  const requests: SeenRequest[] = [];
  let origin = '';
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push(seen(request));
    const rule = overrides.find(
      (candidate) => candidate.method === request.method && candidate.path.test(path),
    );
    if (rule !== undefined) {
      request.resume();
      setCorsHeaders(request, response);
      response.writeHead(rule.answer.status, { ...rule.answer.headers });
      response.end(rule.answer.body ?? '');
      return;
    }
    const headers = upstreamHeaders(request.headers, origin, upstream);
    const proxied = forward(
      { host: upstream.hostname, port: upstream.port, method: request.method, path, headers },
      (reply) => {
        response.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(response);
      },
    );
    proxied.once('error', () => request.socket.destroy());
    request.pipe(proxied);
  });
  origin = await listenLocally(server);
  return {
    url: `${origin}/`,
    requests,
    override(rule) {
      overrides.push(rule);
      return () => {
        const index = overrides.indexOf(rule);
        if (index >= 0) overrides.splice(index, 1);
      };
    },
    close: () => closeServer(server),
  };
}

/** Another origin that records whatever reaches it (a redirect must never lead the worker here). */
export interface Stranger {
  readonly url: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

export async function startStranger(): Promise<Stranger> {
  const requests: SeenRequest[] = [];
  const server = createServer((request, response) => {
    requests.push(seen(request));
    request.resume();
    setCorsHeaders(request, response);
    response.writeHead(207, { 'content-type': 'application/xml' });
    response.end('<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"/>');
  });
  const origin = await listenLocally(server);
  return { url: `${origin}/`, requests, close: () => closeServer(server) };
}

function seen(request: IncomingMessage): SeenRequest {
  return {
    method: request.method ?? '',
    path: request.url ?? '/',
    authorization: request.headers.authorization,
  };
}
