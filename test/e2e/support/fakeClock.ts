import { chromium, type Browser } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { chromiumLaunchOptions } from './browser.ts';

/** The wrapper that starts Debian's Chromium under libfaketime (see the script). */
export const fakeClockChromiumPath = fileURLToPath(new URL('./fakeClockChromium', import.meta.url));

/**
 * A Chromium whose wall clock (`Date.now()`, file times, cookies) is `offset` off, as faketime's
 * `-f` reads it (`'+31d'`, `'-2h'`): a device whose clock is wrong (../shared/TESTING.md). Its
 * monotonic clock stays real, so timers run at the normal pace.
 */
export function launchFakeClockChromium(offset: string): Promise<Browser> {
  return chromium.launch({
    ...chromiumLaunchOptions,
    executablePath: fakeClockChromiumPath,
    env: { ...process.env, FAKE_CLOCK_OFFSET: offset },
  });
}
