import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/** How to run a server in the foreground and know it is up. */
export interface DaemonSpec {
  readonly command: string;
  readonly args: readonly string[];
  /** Polled with OPTIONS until any HTTP answer comes back. */
  readonly url: string;
  /** The daemon's own error log, shown when it does not come up. */
  readonly errorLog: string;
  /** Removed after the daemon has exited. */
  readonly tempDir: string;
}

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/** Starts the daemon, waits until it answers, and returns a stop function that kills it by PID. */
export async function launchDaemon(spec: DaemonSpec): Promise<() => Promise<void>> {
  const child = spawn(spec.command, spec.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A missing binary surfaces as 'error' (and no 'exit'): keep it for the message below.
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && spawnError === undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    await rm(spec.tempDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (spawnError !== undefined || child.exitCode !== null || child.signalCode !== null) break;
    try {
      await fetch(spec.url, { method: 'OPTIONS', signal: AbortSignal.timeout(1_000) });
      return stop;
    } catch {
      await sleep(50);
    }
  }
  const log = await readFile(spec.errorLog, 'utf8').catch(() => '');
  await stop();
  throw new Error(`${spec.command} did not answer at ${spec.url}`, {
    cause: spawnError ?? new Error(`${output}\n${log}`.trim()),
  });
}
