import type { ChildProcess } from 'node:child_process';
import { spawnTracked, stopTracked } from './childProcesses.ts';

/** A virtual X display: WebKitGTK has no headless mode, so every browser needs one. */
export interface XServer {
  /** Such as `:3`, for DISPLAY. */
  display: string;
  stop(): Promise<void>;
}

/**
 * Starts Xvfb on a display it picks itself (`-displayfd` writes the number
 * once the server accepts connections), so parallel runs never collide on `:99`.
 */
export async function startXvfb(binary: string, timeoutMs = 10_000): Promise<XServer> {
  const child = spawnTracked(
    binary,
    ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x1024x24'],
    {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    },
  );
  try {
    const display = await readDisplay(child, timeoutMs);
    return { display: `:${display}`, stop: () => stopTracked(child) };
  } catch (error) {
    await stopTracked(child);
    throw error;
  }
}

function readDisplay(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let written = '';
    let errors = '';
    const timer = setTimeout(
      () => reject(new Error(`Xvfb gave no display within ${timeoutMs} ms: ${errors}`)),
      timeoutMs,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      errors = (errors + chunk.toString()).slice(-2_000);
    });
    child.stdio[3]?.on('data', (chunk: Buffer) => {
      written += chunk.toString();
      if (!written.includes('\n')) return;
      clearTimeout(timer);
      resolve(written.trim());
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Xvfb exited (${code ?? signal}) before giving a display: ${errors}`));
    });
  });
}
