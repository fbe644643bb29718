import { createServer } from 'node:http';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createServer as createNephele } from 'nephele';
import type { Authenticator } from 'nephele';
import { Adapter as FileSystemAdapter } from '@nephele/adapter-file-system';
import { checkBasicAuth } from './checkBasicAuth.ts';
import type { BasicCredentials } from './checkBasicAuth.ts';
import { createPathLock } from './createPathLock.ts';
import {
  isCorsPreflight,
  originAllowed,
  setCorsHeaders,
  type AllowedOrigins,
} from './corsHeaders.ts';
import { requestLockScope } from './requestLockScope.ts';

/** Options of {@link startEmbeddedWebdav}. */
export interface EmbeddedWebdavOptions {
  /** Directory served as the collection at `/`; files written there are served as they are. */
  readonly root: string;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Default `0`: a free port. */
  readonly port?: number;
  /** When set, every request but OPTIONS needs these Basic credentials. */
  readonly auth?: BasicCredentials;
  /** Web origins whose pages and workers may use the server. Default: none (`any` is for tests). */
  readonly allowOrigins?: AllowedOrigins;
}

/** A running embedded server. */
export interface EmbeddedWebdav {
  /** The root collection, ending in `/`. */
  readonly url: string;
  close(): Promise<void>;
}

// Authentication happens before nephele (so that preflights skip it and 401s carry CORS);
// a user without uid also makes the adapter skip Unix permission checks.
const anyone: Authenticator = {
  authenticate: () => Promise.resolve({ username: 'actordav' }),
  cleanAuthentication: () => Promise.resolve(),
};

/**
 * Starts a WebDAV server on `root` (nephele with its file-system adapter) that is safe as a sync
 * remote: a path lock makes `If-None-Match: *` PUTs, MKCOL and `Overwrite: F` MOVEs atomic,
 * and every answer carries CORS headers for a browser worker.
 *
 * @example
 * const dav = await startEmbeddedWebdav({ root: '/tmp/dav', auth: { username: 'u', password: 'p' } });
 * await fetch(new URL('notes.json', dav.url), { method: 'PUT', body: '{}', headers: {...} });
 * await dav.close();
 */
export async function startEmbeddedWebdav(options: EmbeddedWebdavOptions): Promise<EmbeddedWebdav> {
  const { host = '127.0.0.1', port = 0, auth, allowOrigins = [] } = options;
  const adapter = new FileSystemAdapter({
    root: resolve(options.root),
    // Hash the content: ETags then change with every write, whatever the clock does.
    contentEtagMaxBytes: Infinity,
  });
  // nephele returns an Express app, which is a plain Node request listener.
  const dav = createNephele({ adapter, authenticator: anyone }) as unknown as RequestListener;
  const lock = createPathLock();

  const server = createServer((request, response) => {
    if (!originAllowed(request, allowOrigins)) {
      response
        .writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' })
        .end('Origin not allowed\n');
      return;
    }
    setCorsHeaders(request, response);
    if (isCorsPreflight(request)) {
      response.writeHead(204).end();
      return;
    }
    if (
      auth &&
      request.method !== 'OPTIONS' &&
      !checkBasicAuth(request.headers.authorization, auth)
    ) {
      response
        .writeHead(401, {
          'WWW-Authenticate': 'Basic realm="actordav", charset="UTF-8"',
          'Content-Type': 'text/plain; charset=utf-8',
        })
        .end('Unauthorized\n');
      return;
    }
    const { paths, exclusive } = requestLockScope(request);
    const claim = lock.acquire(paths, exclusive);
    let closed = false;
    // Registered before the claim is granted, so a client that gives up while queued still
    // releases its place.
    response.on('close', () => {
      closed = true;
      void claim.then((release) => release());
    });
    void claim.then(() => {
      if (!closed) dav(request, response);
    });
  });

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => done());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}/`,
    close: () =>
      new Promise<void>((done, fail) => {
        server.close((error) => (error ? fail(error) : done()));
        server.closeAllConnections();
      }),
  };
}
