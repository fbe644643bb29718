import { readdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, relative, resolve, sep } from 'node:path';
import type { AirplaneGate } from './airplaneGate.ts';

/**
 * The demo server's own endpoints, same-origin with the page:
 * `GET|POST /demo/airplane` (`{"on": boolean}`) reads or flips the airplane
 * gate, and `GET /demo/precache.json` lists the built shell for the worker
 * to cache on install. Returns false for any other request. `onAirplane`
 * hears every flip.
 */
export function demoRoutes(gate: AirplaneGate, root: string, onAirplane?: (on: boolean) => void) {
  return (request: IncomingMessage, response: ServerResponse): boolean => {
    const path = new URL(request.url ?? '/', 'http://demo.invalid').pathname;
    if (path === '/demo/airplane') {
      void airplane(gate, request, response, onAirplane);
      return true;
    }
    if (path === '/demo/precache.json' && request.method === 'GET') {
      void shellFiles(root).then(
        (files) => send(response, 200, { files }),
        (error: unknown) => send(response, 500, { error: String(error) }),
      );
      return true;
    }
    return false;
  };
}

async function airplane(
  gate: AirplaneGate,
  request: IncomingMessage,
  response: ServerResponse,
  onAirplane: ((on: boolean) => void) | undefined,
) {
  if (request.method === 'POST') {
    let text = '';
    for await (const chunk of request) {
      text += String(chunk);
      if (text.length > 1024) return send(response, 413, { error: 'body too large' });
    }
    let on: unknown;
    try {
      on = (JSON.parse(text) as { on?: unknown } | null)?.on;
    } catch {
      on = undefined;
    }
    if (typeof on !== 'boolean') return send(response, 400, { error: 'send {"on": true|false}' });
    gate.setAirplane(on);
    onAirplane?.(on);
  } else if (request.method !== 'GET') {
    response.setHeader('allow', 'GET, POST');
    return send(response, 405, { error: 'method not allowed' });
  }
  return send(response, 200, { on: gate.airplane });
}

// Every built file but the worker itself, as URL paths (`/` stands for index.html), and the
// config the page reads before it registers the worker.
async function shellFiles(root: string): Promise<string[]> {
  const base = resolve(root);
  const entries = await readdir(base, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => `/${relative(base, join(entry.parentPath, entry.name)).split(sep).join('/')}`)
    .filter((path) => path !== '/sw.js')
    .map((path) => (path === '/index.html' ? '/' : path));
  return ['/demo-config.json', ...files.sort()];
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}
