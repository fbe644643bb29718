import type { BidiRelay } from './bidiRelay.ts';
import { runInChrome } from './chromeScript.ts';

/** A service worker registration as Firefox's ServiceWorkerManager sees it. */
export interface FirefoxWorker {
  scope: string;
  scriptUrl: string;
  /** How often the active worker has been started: grows when a stopped worker restarts. */
  launchCount: number | null;
  /** Whether the active worker was running (Firefox gives running workers a lifetime deadline). */
  running: boolean;
}

/** Every registration with its active worker's state. */
export function listWorkers(bidi: BidiRelay): Promise<FirefoxWorker[]> {
  return inChrome(bidi, false);
}

/** Terminates every running worker (installing, waiting or active); answers the state before. */
export function stopWorkers(bidi: BidiRelay): Promise<FirefoxWorker[]> {
  return inChrome(bidi, true);
}

async function inChrome(bidi: BidiRelay, stop: boolean): Promise<FirefoxWorker[]> {
  const expression = `(${workersInChrome.toString()})(${stop})`;
  return JSON.parse(await runInChrome(bidi, expression)) as FirefoxWorker[];
}

/** The XPCOM shapes the chrome script uses (nsIServiceWorkerManager.idl). */
interface WorkerInfo {
  launchCount: number;
  lifetimeDeadline: number;
  terminateWorker(): Promise<void>;
}
interface RegistrationInfo {
  scope: string;
  scriptSpec: string;
  installingWorker: WorkerInfo | null;
  waitingWorker: WorkerInfo | null;
  activeWorker: WorkerInfo | null;
}
interface Registrations {
  length: number;
  queryElementAt(index: number, iface: unknown): RegistrationInfo;
}
declare const Cc: Record<
  string,
  { getService(iface: unknown): { getAllRegistrations(): Registrations } }
>;
declare const Ci: Record<string, unknown>;

/**
 * Runs in the chrome window and is shipped as source (after tsx strips its types), so it may use
 * nothing from this module and declares no inner functions (esbuild's name-keeping would wrap
 * them in a helper the chrome window lacks).
 * `terminateWorker()` is what Firefox's own tests use; it resolves once the worker is gone.
 */
async function workersInChrome(stop: boolean): Promise<string> {
  const manager = Cc['@mozilla.org/serviceworkers/manager;1']!.getService(
    Ci['nsIServiceWorkerManager'],
  );
  const registrations = manager.getAllRegistrations();
  const seen: FirefoxWorker[] = [];
  const stopping: Promise<void>[] = [];
  for (let index = 0; index < registrations.length; index += 1) {
    const registration = registrations.queryElementAt(
      index,
      Ci['nsIServiceWorkerRegistrationInfo'],
    );
    const active = registration.activeWorker;
    seen.push({
      scope: registration.scope,
      scriptUrl: registration.scriptSpec,
      launchCount: active?.launchCount ?? null,
      running: (active?.lifetimeDeadline ?? 0) > 0,
    });
    if (!stop) continue;
    for (const worker of [registration.installingWorker, registration.waitingWorker, active]) {
      if (worker !== null) stopping.push(worker.terminateWorker());
    }
  }
  await Promise.all(stopping);
  return JSON.stringify(seen);
}
