import type { LaunchOptions } from '@playwright/test';
import { fileURLToPath } from 'node:url';

/** The wrapper Playwright starts instead of Firefox (see bidiProxy.ts). */
export const firefoxBidiPath = fileURLToPath(new URL('./firefox-bidi', import.meta.url));

/**
 * Launch options for `browserName: 'firefox', channel: 'moz-firefox'`. Add `firefoxUserPrefs` as
 * needed, e.g. `dom.serviceWorkers.idle_timeout` to make idle workers stop by themselves.
 */
export const firefoxLaunchOptions: LaunchOptions = {
  executablePath: firefoxBidiPath,
};
