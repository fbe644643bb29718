import { defineConfig } from '@playwright/test';

// The adapter's own smoke test. Its app server uses a port of its own
// (E2E_PORT, default 41731) so it can run beside the main suite's 41730.
const port = process.env['E2E_PORT'] ?? '41731';
const appUrl = `http://127.0.0.1:${port}/`;

export default defineConfig({
  testDir: '.',
  testMatch: 'webkit.probe.spec.ts',
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: 'list',
  outputDir: '../../../../test-results/webkit-probe',
  use: { baseURL: appUrl },
  webServer: {
    command: 'npx tsx test/e2e/support/serveTestApp.ts',
    cwd: '../../../..',
    env: { E2E_PORT: port },
    url: appUrl,
    reuseExistingServer: false,
  },
});
