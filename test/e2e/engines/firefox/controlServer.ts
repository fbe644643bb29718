import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BidiRelay } from './bidiRelay.ts';
import { listWorkers, stopWorkers } from './serviceWorkers.ts';

/** Where the control endpoint lives on the proxy's port (the BiDi socket is at `/session`). */
export const controlPath = '/actordav';

/**
 * Answers the tests' requests to the proxy: `GET seen?marker=` (is this page's browser mine?),
 * `GET workers` and `POST stop-workers`. Chrome scripts go over the newest open Playwright
 * connection, since BiDi needs a session and Playwright's is the only one.
 */
export function controlHandler(current: () => BidiRelay | undefined) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const bidi = current();
    if (bidi === undefined) return reply(503, { error: 'no BiDi session' });
    const route = `${request.method} ${url.pathname}`;
    let work: Promise<unknown>;
    if (route === `GET ${controlPath}/seen`) {
      work = Promise.resolve({ seen: bidi.hasSeen(url.searchParams.get('marker') ?? '') });
    } else if (route === `GET ${controlPath}/workers`) {
      work = listWorkers(bidi).then((workers) => ({ workers }));
    } else if (route === `POST ${controlPath}/stop-workers`) {
      work = stopWorkers(bidi).then((workers) => ({ workers }));
    } else {
      return reply(404, { error: `no ${route}` });
    }
    work.then(
      (body) => reply(200, body),
      (error: unknown) => reply(500, { error: String(error) }),
    );
  };
}
