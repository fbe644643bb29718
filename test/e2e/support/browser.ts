import type { LaunchOptions } from '@playwright/test';

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
