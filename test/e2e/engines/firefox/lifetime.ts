import type { ChildProcess } from 'node:child_process';
import { fstatSync } from 'node:fs';
import { Socket } from 'node:net';

/** How long Firefox gets to quit on SIGTERM before it is killed. */
const graceMs = 5_000;

/**
 * Ties Firefox's life to the proxy's, both ways, so that no process is left over: the proxy exits
 * (with Firefox's status) when Firefox exits, and Firefox is stopped when Playwright signals the
 * proxy or its end of our pipes closes (what happens when the test runner itself dies).
 * Playwright's force-kill (SIGKILL to the process group) reaches Firefox directly, since it shares
 * our group.
 */
export function bindLifetime(firefox: ChildProcess, cleanup: () => void): void {
  firefox.once('exit', (code, signal) => {
    cleanup();
    process.exit(code ?? (signal === null ? 0 : 1));
  });
  const stop = () => {
    if (firefox.exitCode !== null || firefox.signalCode !== null) return;
    firefox.kill('SIGTERM');
    setTimeout(() => firefox.kill('SIGKILL'), graceMs).unref();
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, stop);
  for (const fd of parentPipes()) {
    const pipe = new Socket({ fd, readable: true, writable: false });
    pipe.on('end', stop).on('error', stop).resume();
  }
  process.on('exit', () => {
    cleanup();
    if (firefox.exitCode === null && firefox.signalCode === null) firefox.kill('SIGKILL');
  });
}

/**
 * The pipes our parent holds: Playwright gives browsers stdin from /dev/null but pipes (Node makes
 * them socket pairs) on fds 3 and 4 for its pipe transport, unused with BiDi; fd 3 ends when
 * Playwright goes away. A terminal or /dev/null never ends that way, so only pipes count.
 */
function parentPipes(): number[] {
  return [0, 3].filter((fd) => {
    try {
      const stat = fstatSync(fd);
      return stat.isFIFO() || stat.isSocket();
    } catch {
      return false;
    }
  });
}
