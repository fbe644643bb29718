import type { ChildProcess } from 'node:child_process';
import { spawnTracked, stopTracked } from './childProcesses.ts';
import { freePort } from './freePort.ts';

/** A running WebKitWebDriver. It accepts ONE session at a time, so each context gets its own. */
export interface WebDriverServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts WebKitWebDriver on a free 127.0.0.1 port, drawing on `display`, and waits for `/status`. */
export async function startWebDriver(binary: string, display: string): Promise<WebDriverServer> {
  let lastError: unknown;
  // The port may be taken between `freePort()` and the bind: try a few.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    const child = spawnTracked(binary, [`--port=${port}`, '--host=127.0.0.1'], {
      env: { ...process.env, DISPLAY: display },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitUntilReady(child, url);
      return { url, stop: () => stopTracked(child) };
    } catch (error) {
      lastError = error;
      await stopTracked(child);
    }
  }
  throw lastError;
}

async function waitUntilReady(child: ChildProcess, url: string, timeoutMs = 10_000): Promise<void> {
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-2_000);
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`WebKitWebDriver exited (${child.exitCode ?? child.signalCode}): ${errors}`);
    }
    try {
      const response = await fetch(`${url}/status`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`WebKitWebDriver did not answer ${url}/status within ${timeoutMs} ms: ${errors}`);
}
