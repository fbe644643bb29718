import { defineConfig } from '@playwright/test';
import { appUrl, chromiumLaunchOptions } from './support/browser.ts';

// One worker: on 2 cores parallel browsers are slower (../shared/TESTING.md).
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env['CI'] ? [['list'], ['html', { open: 'never' }]] : 'list',
  outputDir: '../../test-results',
  use: {
    baseURL: appUrl,
    serviceWorkers: 'allow',
    launchOptions: chromiumLaunchOptions,
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'tsx test/e2e/support/serveTestApp.ts',
    cwd: '../..',
    url: appUrl,
    reuseExistingServer: false,
  },
});
