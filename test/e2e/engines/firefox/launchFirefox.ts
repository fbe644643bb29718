import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Debian's Firefox ESR, overridable with FIREFOX_PATH. */
export const firefoxPath = process.env['FIREFOX_PATH'] ?? '/usr/bin/firefox-esr';

/** A running Firefox and the BiDi URL it printed. */
export interface LaunchedFirefox {
  child: ChildProcess;
  /** `ws://127.0.0.1:PORT`, without `/session`. */
  bidiUrl: string;
}

const listening = /WebDriver BiDi listening on (ws:\/\/\S+)/;

/**
 * Starts Firefox with Playwright's arguments plus `--remote-allow-system-access` (chrome-context
 * JS, for stopping service workers) and waits for its BiDi URL. Every other stderr line goes to
 * our stderr (and stdout to stdout), so Playwright's browser log still shows Firefox's messages.
 */
export function launchFirefox(args: readonly string[]): Promise<LaunchedFirefox> {
  const child = spawn(firefoxPath, [...args, '--remote-allow-system-access'], {
    // Pipes, not inherited descriptors: Playwright's pipes must close when this process exits, even
    // if a Firefox child process lingers.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(process.stdout);
  return new Promise((resolve, reject) => {
    let found = false;
    createInterface({ input: child.stderr }).on('line', (line) => {
      const match = found ? null : listening.exec(line);
      if (match?.[1] === undefined) {
        process.stderr.write(`${line}\n`);
        return;
      }
      found = true;
      resolve({ child, bidiUrl: match[1] });
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (!found) reject(new Error(`Firefox exited before BiDi was ready (${code ?? signal})`));
    });
  });
}
