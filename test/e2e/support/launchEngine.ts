import {
  chromium,
  firefox,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
} from '@playwright/test';
import { chromiumLaunchOptions, firefoxLaunchOptions } from './browser.ts';
import { engineLimit, type EngineName } from './engines.ts';

/** Launches a fresh browser of `engine`: Debian's, never a downloaded one. */
export async function launchEngine(engine: EngineName): Promise<Browser> {
  if (engine === 'chromium') return chromium.launch(chromiumLaunchOptions);
  if (engine === 'firefox') return firefox.launch(firefoxLaunchOptions);
  const { launchWebKit } = await import('../engines/webkit/launchWebKit.ts');
  return launchWebKit();
}

/**
 * A browser with a profile kept in `profile` (IndexedDB and the worker survive
 * a relaunch on the same directory), for the engines that can keep one.
 */
export function launchPersistent(
  engine: EngineName,
  profile: string,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const shared = { serviceWorkers: 'allow', ...options } as const;
  if (engine === 'chromium') {
    return chromium.launchPersistentContext(profile, { ...chromiumLaunchOptions, ...shared });
  }
  if (engine === 'firefox') {
    return firefox.launchPersistentContext(profile, { ...firefoxLaunchOptions, ...shared });
  }
  throw new Error(engineLimit(engine, 'persistentProfile'));
}
