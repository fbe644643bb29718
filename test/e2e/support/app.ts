import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { appUrl } from './browser.ts';

/** A response as the page saw it. */
export interface Answer {
  /** The URL the request really went to, after URL parsing. */
  url: string;
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
  /**
   * Sends again, under the same key, while the fetch fails without an answer, as a client does:
   * Firefox fails a fetch whose worker was stopped, where Chromium re-sends it to the next worker.
   */
  retryUnanswered?: boolean;
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

/** Where a variant's pages live: `/` for `default`, else `/{variant}/`. */
export function variantPrefix(variant = 'default'): string {
  return variant === 'default' ? '/' : `/${variant}/`;
}

/** The host scope of a variant: `/actors/` or `/{variant}/actors/`. */
export function actorsPath(variant = 'default'): string {
  return `${variantPrefix(variant)}actors/`;
}

/**
 * A context of its own (its own IndexedDB and workers) with one page per
 * variant, opened on first use: spec files share these across their tests,
 * since a new page costs ~0.5 s.
 */
export interface SharedApp {
  context: BrowserContext;
  page(variant?: string): Promise<Page>;
  close(): Promise<void>;
}

export async function openSharedApp(browser: Browser): Promise<SharedApp> {
  const context = await browser.newContext({ baseURL: appUrl, serviceWorkers: 'allow' });
  const pages = new Map<string, Promise<Page>>();
  const open = async (variant: string) => {
    const page = await context.newPage();
    await openApp(page, variant);
    // Let the worker create the database before any test reads it from the page.
    const warmUp = await call(page, { path: `${actorsPath(variant)}warm-up/state` });
    expect(warmUp.status).toBe(200);
    return page;
  };
  return {
    context,
    page(variant = 'default') {
      let page = pages.get(variant);
      if (page === undefined) {
        page = open(variant);
        pages.set(variant, page);
      }
      return page;
    },
    close: () => context.close(),
  };
}

/** How often each command body ran in the variant's current worker, keyed `actorId/command` (resets when the worker restarts). */
export async function runsOf(page: Page, variant = 'default'): Promise<Record<string, number>> {
  const answer = await call(page, { path: `${variantPrefix(variant)}__runs` });
  expect(answer.status).toBe(200);
  return answer.json as Record<string, number>;
}

/** Checks an RFC 9457 answer: its status, media type and stable `code`. */
export function expectProblem(answer: Answer, status: number, code: string): void {
  expect(answer.status, answer.text).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(answer.json).toMatchObject({ status, code, type: `urn:actordav:problem:${code}` });
}

/** Sends one request from the page and reads the whole answer. */
export function call(page: Page, request: Call): Promise<Answer> {
  return page.evaluate(sendFromPage, request);
}

/** Sends many requests at once from the page. */
export function callAll(page: Page, requests: Call[]): Promise<Answer[]> {
  // `page.evaluate` ships one function's source, not what it calls: ship `sendFromPage` inside the expression.
  const sent = `Promise.all(${JSON.stringify(requests)}.map((one) => (${sendFromPage.toString()})(one)))`;
  return page.evaluate<Answer[]>(sent);
}

async function sendFromPage({
  method = 'GET',
  path,
  key,
  body,
  raw,
  headers = {},
  retryUnanswered = false,
}: Call): Promise<Answer> {
  const init: RequestInit = { method, headers: { ...headers } };
  const sent = init.headers as Record<string, string>;
  if (key !== undefined) sent['idempotency-key'] = JSON.stringify(key);
  if (raw !== undefined || body !== undefined) {
    sent['content-type'] ??= 'application/json';
    init.body = raw ?? JSON.stringify(body);
  }
  let response: Response | undefined;
  for (let attempt = 1; response === undefined; attempt++) {
    try {
      response = await fetch(path, init);
    } catch (error) {
      if (!retryUnanswered || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return {
    url: response.url,
    status: response.status,
    headers: Object.fromEntries(response.headers),
    text,
    json,
  };
}
