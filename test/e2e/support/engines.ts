import { test } from '@playwright/test';

/** The engines the suite runs in: Playwright's `browserName` of each project. */
export type EngineName = 'chromium' | 'firefox' | 'webkit';

/** Things a test may need from the engine or from the way this machine drives it. */
export type Capability =
  | 'stopWorker'
  | 'persistentProfile'
  | 'backgroundSync'
  | 'offlineEmulation'
  | 'workerConsole'
  | 'pageConsole'
  | 'quotaOverride'
  | 'storageApi'
  | 'hardReload';

/**
 * What each engine cannot do here, by name: a test that needs it is skipped
 * with this reason, never silently (../shared/TESTING.md, "Firefox and WebKit").
 */
const limits: Record<EngineName, Partial<Record<Capability, string>>> = {
  chromium: {},
  firefox: {
    backgroundSync: 'Firefox has no Background Sync (SyncManager is undefined)',
    workerConsole:
      "Playwright's WebDriver BiDi Firefox cannot see service workers (no worker console, no evaluate in the worker)",
    offlineEmulation:
      "Playwright's BiDi setOffline in Firefox does not cut the service worker's own fetches (a fault proxy does)",
    hardReload:
      'Firefox ESR 153: WebDriver BiDi refuses browsingContext.reload with ignoreCache ("not supported yet"), and Playwright has no other cache-bypassing reload',
  },
  webkit: {
    stopWorker:
      'WebKitGTK: neither WebKitWebDriver nor MiniBrowser has a way to stop a service worker',
    persistentProfile:
      'WebKitGTK: WebDriver automation sessions never keep storage across sessions (no persistent profile)',
    backgroundSync: 'WebKit has no Background Sync',
    offlineEmulation: 'WebKitGTK: WebDriver has no network emulation (no offline mode)',
    workerConsole: 'WebKitGTK: WebDriver cannot read a service worker console',
    pageConsole: 'WebKitGTK: WebDriver cannot read the console of a page',
    quotaOverride: 'WebKitGTK: WebDriver has no way to set an origin quota',
    storageApi: 'WebKitGTK has no Storage API (navigator.storage is undefined)',
    hardReload:
      "WebKitGTK: WebDriver's only reload is a normal one (no cache-bypassing reload, so no page a worker does not control)",
  },
};

/** Why `engine` cannot give `capability`, or undefined when it can. */
export function engineLimit(engine: string, capability: Capability): string | undefined {
  return limits[engine as EngineName]?.[capability];
}

/** True when `engine` can give `capability`. */
export function engineHas(engine: string, capability: Capability): boolean {
  return engineLimit(engine, capability) === undefined;
}

/**
 * Skips the current test (call it first in the body) where the engine lacks
 * `capability`, with the engine's own reason.
 */
export function skipWithout(engine: string, capability: Capability): void {
  const reason = engineLimit(engine, capability);
  test.skip(reason !== undefined, reason);
}

/** The engine of the test running now. */
export function currentEngine(): EngineName {
  return test.info().project.use.browserName ?? 'chromium';
}
