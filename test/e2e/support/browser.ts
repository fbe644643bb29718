import type { LaunchOptions } from '@playwright/test';
import { firefoxBidiPath } from '../engines/firefox/launchOptions.ts';

/** Where the test app is served; the port is fixed so a persistent profile keeps its origin. */
export const appUrl = `http://127.0.0.1:${process.env['E2E_PORT'] ?? '41730'}/`;

/** Debian's Chromium (never a downloaded one), overridable with CHROMIUM_PATH. */
export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
  ],
};

/**
 * Debian's Firefox ESR through WebDriver BiDi. Playwright launches the
 * wrapper in test/e2e/engines/firefox/, which starts the real Firefox
 * (`FIREFOX_PATH`, default /usr/bin/firefox-esr) and stands between them.
 */
export const firefoxLaunchOptions: LaunchOptions = {
  channel: 'moz-firefox',
  executablePath: firefoxBidiPath,
};
