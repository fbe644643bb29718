import type { WebKitBinaries } from './binaries.ts';
import { Session } from './session.ts';
import { unavailableElsewhere } from './unavailable.ts';
import { WebKitContext, type ContextOwner } from './webKitContext.ts';
import type { XServer } from './xvfb.ts';

/** The subset of `browser.newContext` options that mean something here; others are accepted and ignored. */
export interface WebKitContextOptions {
  baseURL?: string;
}

/**
 * Playwright's Browser over WebKitGTK: one Xvfb display, and per context a
 * WebKitWebDriver with one session (the driver allows only one at a time).
 */
export class WebKitBrowser implements ContextOwner {
  readonly _apiName = 'Browser';
  readonly facade: WebKitBrowser;
  /** Playwright's `context` fixture reads `browser._connection.headers`. */
  readonly _connection = { headers: undefined };
  private readonly open: WebKitContext[] = [];
  private closing: Promise<void> | undefined;

  private readonly browserVersion: string;

  /**
   * `warm` is the session launch opened to learn the version (Playwright's
   * `version()` is synchronous); unused, it is as fresh as a new one, so the
   * first context takes it.
   */
  constructor(
    private readonly binaries: WebKitBinaries,
    private readonly display: XServer,
    private warm: Session | undefined,
    private readonly defaults: WebKitContextOptions,
  ) {
    this.browserVersion = warm?.browserVersion ?? 'unknown';
    this.facade = unavailableElsewhere(this, 'browser');
  }

  version(): string {
    return this.browserVersion;
  }

  browserType(): { name(): string } {
    return unavailableElsewhere({ name: () => 'webkit' }, 'browserType');
  }

  isConnected(): boolean {
    return this.closing === undefined;
  }

  contexts(): object[] {
    return this.open.map((context) => context.facade);
  }

  async newContext(options: WebKitContextOptions = {}): Promise<WebKitContext> {
    if (this.closing) throw new Error('Target page, context or browser has been closed');
    const session = this.warm ?? (await Session.start(this.binaries, this.display.display));
    this.warm = undefined;
    const context = new WebKitContext(session, options.baseURL ?? this.defaults.baseURL, this);
    this.open.push(context);
    return context.facade;
  }

  /** A page in a context of its own, as Playwright's `browser.newPage`; close the context with `page.context().close()`. */
  async newPage(options: WebKitContextOptions = {}): Promise<object> {
    const context = await this.newContext(options);
    return context.newPage();
  }

  forget(context: WebKitContext): void {
    // Compare facades: `context` may be the proxy or the object behind it.
    const index = this.open.findIndex((one) => one.facade === context.facade);
    if (index >= 0) this.open.splice(index, 1);
  }

  /** Closes every context (sessions and drivers), then the X server. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const unused = this.warm;
      this.warm = undefined;
      await Promise.allSettled([
        ...this.open.slice().map((context) => context.close()),
        unused?.stop(),
      ]);
      await this.display.stop();
    })();
    return this.closing;
  }
}
