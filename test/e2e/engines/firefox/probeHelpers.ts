import { expect, type Page } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the page saw for one request (`status` -1: the fetch itself failed). */
export interface Seen {
  status: number;
  text: string;
  json: unknown;
}

export interface Send {
  method?: string;
  /** Sent as an RFC 8941 quoted string in the Idempotency-Key header. */
  key?: string;
  body?: unknown;
}

/**
 * Sends one request from the page, as test/e2e/support/app.ts `call` does; kept here so that
 * the adapter's smoke test does not depend on the suite's helpers while they change.
 */
export function send(page: Page, path: string, init: Send = {}): Promise<Seen> {
  return page.evaluate(
    async ({ path, method = 'GET', key, body }) => {
      const headers: Record<string, string> = {};
      if (key !== undefined) headers['idempotency-key'] = JSON.stringify(key);
      if (body !== undefined) headers['content-type'] = 'application/json';
      const request: RequestInit = { method, headers };
      if (body !== undefined) request.body = JSON.stringify(body);
      try {
        const response = await fetch(path, request);
        const text = await response.text();
        let json: unknown = null;
        try {
          json = JSON.parse(text);
        } catch {
          // Not JSON: `text` says what it was.
        }
        return { status: response.status, text, json };
      } catch (error) {
        return { status: -1, text: String(error), json: null };
      }
    },
    { path, ...init },
  );
}

/** Opens a page of the test app and waits until its worker controls it (test/e2e/app/main.ts). */
export async function openApp(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  await expect(page.locator('#ready')).toHaveText('ready');
}

/** A stand-in WebDAV remote that records every request and refuses them (503, CORS allowed). */
export interface CountingRemote {
  url: string;
  hits: string[];
  close(): Promise<void>;
}

export async function countingRemote(): Promise<CountingRemote> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    response.writeHead(request.method === 'OPTIONS' ? 204 : 503, {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': '*',
      'access-control-allow-headers': '*',
    });
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/dav/`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** `navigator.storage.persist()` from the page, or `'pending'` if it has not settled after 3 s. */
export function persist(page: Page): Promise<string> {
  return page.evaluate(() =>
    Promise.race([
      navigator.storage.persist().then(String),
      new Promise<string>((resolve) => setTimeout(() => resolve('pending'), 3000)),
    ]),
  );
}
