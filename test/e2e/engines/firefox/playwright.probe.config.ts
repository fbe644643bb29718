import { defineConfig } from '@playwright/test';
import { firefoxLaunchOptions } from './launchOptions.ts';

/** A port of its own, so this smoke test can run while the main e2e suite (41730) does. */
const port = process.env['FIREFOX_PROBE_PORT'] ?? '41737';
const appUrl = `http://127.0.0.1:${port}/`;

/** The adapter's own smoke test: `npx playwright test -c test/e2e/engines/firefox/playwright.probe.config.ts`. */
export default defineConfig({
  testDir: '.',
  testMatch: 'firefox.probe.spec.ts',
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  outputDir: '../../../../test-results/firefox-probe',
  use: {
    baseURL: appUrl,
    browserName: 'firefox',
    channel: 'moz-firefox',
    launchOptions: firefoxLaunchOptions,
  },
  webServer: {
    command: 'tsx test/e2e/support/serveTestApp.ts',
    cwd: '../../../..',
    env: { E2E_PORT: port },
    url: appUrl,
    reuseExistingServer: false,
  },
});
