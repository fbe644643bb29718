import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { WebDriver } from 'selenium-webdriver';
import {
  functionExpression,
  pollScript,
  startScript,
  stringExpression,
  unwrap,
  type Polled,
  type Started,
} from './pageScript.ts';
import { pollUntil, sleep } from './poll.ts';
import { takeScreenshot } from './screenshot.ts';
import type { Session } from './session.ts';
import { unavailableElsewhere } from './unavailable.ts';
import {
  guardLocator,
  type LocatorHost,
  type LocatorOptions,
  type RoleOptions,
  type WebKitLocator,
} from './webKitLocator.ts';

/** A function shipped to the page by source; it may be async. */
export type PageFunction<A, R> = (arg: A) => R | Promise<R>;

/** What a page needs from its context. */
export interface PageOwner {
  readonly facade: object;
  readonly baseURL: string | undefined;
  /** Called when the page closes, so the context can keep or close its window. */
  release(page: WebKitPage): Promise<void>;
}

/**
 * One window of a context's session. Every command goes through
 * `session.inWindow`, which switches to this window first and keeps other
 * pages' commands from interleaving.
 */
export class WebKitPage implements LocatorHost {
  readonly _apiName = 'Page';
  /** The object specs hold: this page behind a guard for missing APIs. */
  readonly facade: WebKitPage;
  private closed = false;
  private lastUrl = 'about:blank';

  constructor(
    private readonly session: Session,
    readonly window: string,
    private readonly owner: PageOwner,
  ) {
    this.facade = unavailableElsewhere(this, 'page');
  }

  context(): object {
    return this.owner.facade;
  }

  isClosed(): boolean {
    return this.closed;
  }

  inWindow<T>(job: (driver: WebDriver) => Promise<T>): Promise<T> {
    if (this.closed)
      return Promise.reject(new Error('Target page, context or browser has been closed'));
    return this.session.inWindow(this.window, job);
  }

  /**
   * Navigates and waits for `load` (WebDriver's normal page load strategy).
   * Resolves to null: WebDriver does not expose the response.
   */
  async goto(url: string): Promise<null> {
    const absolute = this.owner.baseURL === undefined ? url : new URL(url, this.owner.baseURL).href;
    this.lastUrl = await this.inWindow(async (driver) => {
      await driver.get(absolute);
      return driver.getCurrentUrl();
    });
    return null;
  }

  async reload(): Promise<null> {
    this.lastUrl = await this.inWindow(async (driver) => {
      await driver.navigate().refresh();
      return driver.getCurrentUrl();
    });
    return null;
  }

  /** Synchronous in Playwright, so it reports the last URL seen; `currentUrl()` asks the browser. */
  url(): string {
    return this.lastUrl;
  }

  async currentUrl(): Promise<string> {
    this.lastUrl = await this.inWindow((driver) => driver.getCurrentUrl());
    return this.lastUrl;
  }

  title(): Promise<string> {
    return this.inWindow((driver) => driver.getTitle());
  }

  content(): Promise<string> {
    return this.inWindow((driver) => driver.getPageSource());
  }

  /**
   * Playwright's `page.evaluate`: a function is shipped by source and called
   * with `arg` (JSON); a string is evaluated as an expression. Either is
   * awaited, and the value comes back as JSON; an exception in the page
   * rejects with its message. Evaluations do not hold the session while the
   * page waits (see `evaluateCode`), so several run at once.
   */
  evaluate<R, A = undefined>(pageFunction: string | PageFunction<A, R>, arg?: A): Promise<R> {
    const code =
      typeof pageFunction === 'function'
        ? `${functionExpression(pageFunction)}(arg)`
        : stringExpression(pageFunction);
    return this.evaluateCode<R>(code, arg);
  }

  /**
   * Evaluates `code` (an expression that may use `arg`) in the page. One
   * short Execute Script starts it: a plain value comes straight back; a
   * promise is left running in the page, which keeps its outcome under an
   * id, and short Execute Script polls read it. Between commands the
   * session is free, so a slow request in one evaluation does not delay
   * others. If the page navigates first, the outcome is lost with its
   * document and the evaluation rejects.
   */
  async evaluateCode<R>(code: string, arg: unknown): Promise<R> {
    const argJson = arg === undefined ? null : JSON.stringify(arg);
    const started = await this.inWindow((driver) =>
      driver.executeScript<Started>(startScript(code), argJson),
    );
    this.lastUrl = started.url;
    if ('done' in started) return unwrap<R>(started.done);
    const begun = Date.now();
    for (let polls = 0; ; polls++) {
      // The first poll goes at once: a promise that settles in microtasks is done by then.
      if (polls > 0) await sleep(Date.now() - begun < 1_000 ? 10 : 20);
      const polled = await this.inWindow((driver) =>
        driver.executeScript<Polled>(pollScript, started.pending, started.document),
      );
      if ('pending' in polled) continue;
      this.lastUrl = polled.url;
      if ('done' in polled) return unwrap<R>(polled.done);
      throw new Error(
        `page.evaluate: Execution context was destroyed, most likely because of a navigation (the page is now at ${polled.url})`,
      );
    }
  }

  /** Polls `pageFunction` until it returns a truthy value; resolves to a handle of that value. */
  async waitForFunction<R, A = undefined>(
    pageFunction: string | PageFunction<A, R>,
    arg?: A,
    options: { timeout?: number; polling?: number | 'raf' } = {},
  ): Promise<{ jsonValue(): Promise<R>; dispose(): Promise<void> }> {
    const value = await pollUntil('waitForFunction', options.timeout ?? 30_000, async () => {
      const result = await this.evaluate(pageFunction, arg);
      return result ? { result } : undefined;
    });
    return { jsonValue: () => Promise.resolve(value.result), dispose: () => Promise.resolve() };
  }

  waitForTimeout(ms: number): Promise<void> {
    return sleep(ms);
  }

  locator(selector: string, options: LocatorOptions = {}): WebKitLocator {
    return this.root().locator(selector, options);
  }

  getByRole(role: string, options: RoleOptions = {}): WebKitLocator {
    return this.root().getByRole(role, options);
  }

  getByText(text: string | RegExp, options: { exact?: boolean } = {}): WebKitLocator {
    return this.root().getByText(text, options);
  }

  /** A locator with no steps: the document, which every page locator starts from. */
  private root(): WebKitLocator {
    return guardLocator(this, { steps: [] });
  }

  /** A PNG of the viewport, or of the whole page with `fullPage` (see `takeScreenshot`); written to `path` if given. */
  async screenshot(options: { path?: string; fullPage?: boolean } = {}): Promise<Buffer> {
    const unknown = Object.keys(options).filter((key) => key !== 'path' && key !== 'fullPage');
    if (unknown.length > 0) {
      throw new Error(
        `page.screenshot option ${unknown.join(', ')} is not available in WebKitGTK through WebDriver`,
      );
    }
    const png = await this.inWindow((driver) => takeScreenshot(driver, options.fullPage === true));
    if (options.path !== undefined) {
      await mkdir(dirname(options.path), { recursive: true });
      await writeFile(options.path, png);
    }
    return png;
  }

  click(selector: string, options: { timeout?: number } = {}): Promise<void> {
    return this.locator(selector).click(options);
  }

  fill(selector: string, value: string, options: { timeout?: number } = {}): Promise<void> {
    return this.locator(selector).fill(value, options);
  }

  textContent(selector: string, options: { timeout?: number } = {}): Promise<string> {
    return this.locator(selector).textContent(options);
  }

  getAttribute(
    selector: string,
    name: string,
    options: { timeout?: number } = {},
  ): Promise<string | null> {
    return this.locator(selector).getAttribute(name, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.owner.release(this);
    this.closed = true;
  }

  /** Marks the page closed without touching the browser (its session is ending). */
  markClosed(): void {
    this.closed = true;
  }
}
