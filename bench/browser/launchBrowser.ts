import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../../test/e2e/support/browser.ts';

/**
 * How the browser is started. `raw` (the default) spawns Chromium with no
 * debugger attached: the page drives itself over HTTP, so nothing else costs
 * CPU or time per request. `playwright` uses `launchPersistentContext`, which
 * instruments every request (~0.5 ms per fetch here, paid by both sides).
 */
export type Driver = 'raw' | 'playwright';

export interface RunningBrowser {
  /** The browser process (raw driver only). */
  readonly pid: number | undefined;
  close(): Promise<void>;
}

const executable = chromiumLaunchOptions.executablePath ?? '/usr/bin/chromium';
const args = chromiumLaunchOptions.args ?? [];

/**
 * Opens `url` in Chromium on the persistent profile `profileDir` (on disk, so
 * IndexedDB really flushes: an off-the-record profile keeps it in memory).
 */
export async function launchBrowser(
  profileDir: string,
  url: string,
  driver: Driver,
  extraArgs: readonly string[] = [],
): Promise<RunningBrowser> {
  if (driver === 'playwright') {
    const context = await chromium.launchPersistentContext(profileDir, {
      executablePath: executable,
      args: [...args, ...extraArgs],
      serviceWorkers: 'allow',
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url);
    return { pid: undefined, close: () => context.close() };
  }
  const child = spawn(
    executable,
    [...args, ...extraArgs, '--headless', `--user-data-dir=${profileDir}`, url],
    // Its own process group: Chromium's helpers go with it, and nothing it signals reaches us.
    { stdio: 'ignore', detached: true },
  );
  const exited = once(child, 'exit');
  return {
    pid: child.pid,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // The browser shuts its helpers down and reaps them; the group is only the fallback.
      const group = -(child.pid ?? 0);
      const killGroup = () => {
        try {
          process.kill(group, 'SIGKILL');
        } catch {
          // Nothing left.
        }
      };
      child.kill('SIGTERM');
      const timer = setTimeout(killGroup, 10_000);
      await exited;
      clearTimeout(timer);
      // Helpers may outlive the browser by a moment (and still write to the profile).
      // (A zombie left to init still counts as alive: give up after a few seconds.)
      for (let waited = 0; waited < 6000 && groupAlive(group); waited += 50) {
        if (waited === 5000) killGroup();
        await sleep(50);
      }
    },
  };
}

function groupAlive(group: number): boolean {
  try {
    process.kill(group, 0);
    return true;
  } catch {
    return false;
  }
}
