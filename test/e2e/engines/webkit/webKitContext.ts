import type { Session } from './session.ts';
import { unavailableElsewhere } from './unavailable.ts';
import { WebKitPage, type PageOwner } from './webKitPage.ts';

/** What a context needs from its browser. */
export interface ContextOwner {
  readonly facade: object;
  forget(context: WebKitContext): void;
}

/**
 * A Playwright context as one WebDriver session: its own MiniBrowser, hence
 * its own IndexedDB, service workers and caches. Pages are windows (tabs) of
 * that session.
 */
export class WebKitContext implements PageOwner {
  readonly _apiName = 'BrowserContext';
  readonly facade: WebKitContext;
  private readonly open: WebKitPage[] = [];
  /** A window no page holds: the session's first one, or the last page's after it closed (a session cannot lose its last window). */
  private spareWindow: string | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly session: Session,
    readonly baseURL: string | undefined,
    private readonly owner: ContextOwner,
  ) {
    this.spareWindow = session.initialWindow;
    this.facade = unavailableElsewhere(this, 'context');
  }

  browser(): object {
    return this.owner.facade;
  }

  pages(): object[] {
    return this.open.map((page) => page.facade);
  }

  async newPage(): Promise<WebKitPage> {
    if (this.closing) throw new Error('Target page, context or browser has been closed');
    const window = this.spareWindow ?? (await this.session.openWindow());
    this.spareWindow = undefined;
    const page = new WebKitPage(this.session, window, this);
    this.open.push(page);
    return page.facade;
  }

  /** A page's window closes, unless it is the session's last: then it goes blank and waits for the next `newPage`. */
  async release(page: WebKitPage): Promise<void> {
    const index = this.open.findIndex((one) => one.window === page.window);
    if (index >= 0) this.open.splice(index, 1);
    if (this.open.length > 0) {
      await this.session.closeWindow(page.window);
      return;
    }
    await this.session.inWindow(page.window, (driver) => driver.get('about:blank'));
    this.spareWindow = page.window;
  }

  /** Quits the session: MiniBrowser and its driver exit, and the context's storage is gone. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const page of this.open.splice(0)) page.markClosed();
      this.owner.forget(this);
      await this.session.stop();
    })();
    return this.closing;
  }
}
