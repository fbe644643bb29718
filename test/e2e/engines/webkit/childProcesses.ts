import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/**
 * Children that must not outlive this process. Each is spawned as the leader
 * of its own process group, so signalling `-pid` also reaches what it started
 * (MiniBrowser and its web/network processes under WebKitWebDriver).
 */
const running = new Set<ChildProcess>();

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function killAll(): void {
  for (const child of running) signalGroup(child, 'SIGKILL');
  running.clear();
}

let hooked = false;

/** Kills every tracked group when this process ends, even when a test forgot `browser.close()`. */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAll);
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      // Die of the same signal, as we would have without this listener.
      process.kill(process.pid, signal);
    });
  }
}

/** Spawns a child in its own process group and remembers it until it exits. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions): ChildProcess {
  hookExit();
  const child = spawn(command, args, { ...options, detached: true });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Stops a child's whole group: SIGTERM, then SIGKILL after `graceMs`; resolves once it exited. */
export async function stopTracked(child: ChildProcess, graceMs = 2_000): Promise<void> {
  if (!exited(child)) {
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    signalGroup(child, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
    await gone;
    clearTimeout(timer);
  }
  // The group may outlive its leader (a browser helper still shutting down).
  signalGroup(child, 'SIGKILL');
  running.delete(child);
}
