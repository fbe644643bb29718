import type { Page } from '@playwright/test';
import type { Answer } from '../support/app.ts';

/** A request exactly as a hostile page would send it to its worker. */
export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The body as text (UTF-8), or as bytes (no Content-Type is added for bytes). */
  readonly text?: string;
  readonly bytes?: readonly number[];
  /** A body of `{"pad":"xxx…"}` this many bytes long, made in the page. */
  readonly padTo?: number;
  /** A body of `{"a":` nested this many levels deep, made in the page. */
  readonly nest?: number;
}

/**
 * Sends one request from the page (so it goes through the service worker) and reads the whole
 * answer. No helper functions inside: tsx would wrap them in an `__name` call the page lacks.
 */
export function sendRaw(page: Page, request: RawRequest): Promise<Answer> {
  return page.evaluate(async (raw: RawRequest) => {
    const init: RequestInit = { method: raw.method, headers: { ...raw.headers } };
    if (raw.bytes !== undefined) init.body = new Uint8Array(raw.bytes);
    else if (raw.padTo !== undefined) {
      init.body = `{"pad":"${'x'.repeat(Math.max(0, raw.padTo - 10))}"}`;
    } else if (raw.nest !== undefined) {
      init.body = `${'{"a":'.repeat(raw.nest)}1${'}'.repeat(raw.nest)}`;
    } else if (raw.text !== undefined) init.body = raw.text;
    const response = await fetch(raw.path, init);
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
  }, request);
}

/** UTF-8 bytes of a string, for bodies assembled from pieces. */
export function utf8(text: string): number[] {
  return [...Buffer.from(text, 'utf8')];
}
