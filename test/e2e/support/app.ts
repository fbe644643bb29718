import { expect, type Page } from '@playwright/test';

/** A response as the page saw it. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: unknown;
}

/** A request the page sends to its service worker. */
export interface Call {
  method?: string;
  path: string;
  /** Sent as an RFC 8941 quoted string in the Idempotency-Key header. */
  key?: string;
  body?: unknown;
  /** Raw body text (overrides `body`). */
  raw?: string;
  headers?: Record<string, string>;
}

let counter = 0;

/** A fresh actor id per test, so tests can share a page and a database. */
export function freshActor(label: string): string {
  counter += 1;
  return `${label}-${Date.now().toString(36)}-${counter}`;
}

/** Opens the test app (a worker variant under `/{variant}/`) and waits until its worker controls the page. */
export async function openApp(page: Page, variant = 'default'): Promise<void> {
  await page.goto(variant === 'default' ? '/' : `/${variant}/`);
  await expect(page.locator('#ready')).toHaveText('ready');
}

/** Sends one request from the page and reads the whole answer. */
export function call(page: Page, request: Call): Promise<Answer> {
  return page.evaluate(sendFromPage, request);
}

/** Sends many requests at once from the page. */
export function callAll(page: Page, requests: Call[]): Promise<Answer[]> {
  return page.evaluate((all) => Promise.all(all.map((one) => sendFromPage(one))), requests);
}

async function sendFromPage({
  method = 'GET',
  path,
  key,
  body,
  raw,
  headers = {},
}: Call): Promise<Answer> {
  const init: RequestInit = { method, headers: { ...headers } };
  const sent = init.headers as Record<string, string>;
  if (key !== undefined) sent['idempotency-key'] = JSON.stringify(key);
  if (raw !== undefined || body !== undefined) {
    sent['content-type'] ??= 'application/json';
    init.body = raw ?? JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: response.status, headers: Object.fromEntries(response.headers), text, json };
}
