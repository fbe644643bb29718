import type { Browser } from '@playwright/test';
import { webKitBinaries } from './binaries.ts';
import { Session } from './session.ts';
import { WebKitBrowser, type WebKitContextOptions } from './webKitBrowser.ts';
import { startXvfb } from './xvfb.ts';

/**
 * Starts WebKitGTK (MiniBrowser on an Xvfb display, driven through
 * WebKitWebDriver) behind the part of Playwright's Browser API the e2e specs
 * use, since Playwright cannot drive WebKitGTK itself. Methods it lacks throw
 * "… is not available in WebKitGTK through WebDriver". `browser.close()`
 * stops every process it started; so does this process's exit.
 *
 * `defaults` fill in `newContext` options a spec leaves out: Playwright adds
 * the config's `use` options (baseURL) through client instrumentation this
 * adapter does not have, so the fixture passes them here.
 */
export async function launchWebKit(defaults: WebKitContextOptions = {}): Promise<Browser> {
  const binaries = webKitBinaries();
  const display = await startXvfb(binaries.xvfb);
  try {
    const warm = await Session.start(binaries, display.display);
    const browser = new WebKitBrowser(binaries, display, warm, defaults);
    return browser.facade as unknown as Browser;
  } catch (error) {
    await display.stop();
    throw error;
  }
}
