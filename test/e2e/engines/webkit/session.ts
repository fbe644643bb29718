import { Builder, type WebDriver } from 'selenium-webdriver';
import { CommandQueue } from './commandQueue.ts';
import type { WebKitBinaries } from './binaries.ts';
import { startWebDriver, type WebDriverServer } from './webDriverServer.ts';

/** How long a page script may run: service worker installs and WebDAV syncs are slow. */
export const scriptTimeoutMs = 60_000;
const pageLoadTimeoutMs = 30_000;

/**
 * One WebDriver session with its own WebKitWebDriver. A session is a fresh
 * MiniBrowser with ephemeral storage, which is what makes it a Playwright
 * context. All commands go through `inWindow`, which serializes them.
 */
export class Session {
  private readonly queue = new CommandQueue();
  private current: string | undefined;

  private constructor(
    readonly driver: WebDriver,
    private readonly server: WebDriverServer,
    /** The window the session opened with; the first page takes it. */
    readonly initialWindow: string,
    readonly browserVersion: string,
  ) {
    this.current = initialWindow;
  }

  static async start(binaries: WebKitBinaries, display: string): Promise<Session> {
    const server = await startWebDriver(binaries.webDriver, display);
    try {
      const driver = await new Builder()
        .usingServer(server.url)
        .withCapabilities({
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary: binaries.miniBrowser, args: ['--automation'] },
        })
        .build();
      await driver
        .manage()
        .setTimeouts({ script: scriptTimeoutMs, pageLoad: pageLoadTimeoutMs, implicit: 0 });
      const capabilities = await driver.getCapabilities();
      const version = String(capabilities.get('browserVersion') ?? 'unknown');
      return new Session(driver, server, await driver.getWindowHandle(), version);
    } catch (error) {
      await server.stop();
      throw error;
    }
  }

  /** Runs `job` alone on the session, with `window` as the current window. */
  inWindow<T>(window: string, job: (driver: WebDriver) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      if (this.current !== window) {
        await this.driver.switchTo().window(window);
        this.current = window;
      }
      return job(this.driver);
    });
  }

  /** Opens a tab and returns its handle (the session's current window becomes it). */
  openWindow(): Promise<string> {
    return this.queue.run(async () => {
      await this.driver.switchTo().newWindow('tab');
      this.current = await this.driver.getWindowHandle();
      return this.current;
    });
  }

  /**
   * Closes a window that is not the session's last one, then makes another
   * window current: with none, WebDriver refuses even to open a new one.
   */
  closeWindow(window: string): Promise<void> {
    return this.queue.run(async () => {
      if (this.current !== window) await this.driver.switchTo().window(window);
      this.current = undefined;
      await this.driver.close();
      const [next] = await this.driver.getAllWindowHandles();
      if (next !== undefined) {
        await this.driver.switchTo().window(next);
        this.current = next;
      }
    });
  }

  /** Ends the session (MiniBrowser exits) and its driver, even if quitting fails. */
  async stop(): Promise<void> {
    try {
      await this.queue.run(() => this.driver.quit());
    } catch {
      // The browser may be gone already; the driver's group is killed below.
    } finally {
      await this.server.stop();
    }
  }
}
