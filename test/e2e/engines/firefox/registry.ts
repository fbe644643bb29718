import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One running proxy, as tests find it. */
export interface ProxyEntry {
  /** The proxy's process id (Playwright's browser process). */
  pid: number;
  /** Base URL of its control endpoint, e.g. `http://127.0.0.1:PORT/actordav`. */
  controlUrl: string;
}

/**
 * Where proxies announce themselves: FIREFOX_BIDI_REGISTRY, else a per-user folder in the temp
 * directory. Playwright passes the test process's environment to the browser, so both sides agree.
 */
export function registryDir(): string {
  const user = process.getuid?.() ?? 'user';
  return process.env['FIREFOX_BIDI_REGISTRY'] ?? join(tmpdir(), `actordav-firefox-bidi-${user}`);
}

/** Announces a proxy; the returned function (synchronous, for exit handlers) withdraws it. */
export function register(entry: ProxyEntry): () => void {
  const dir = registryDir();
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${entry.pid}.json`);
  // Written aside, then renamed: a test never reads half an entry.
  writeFileSync(`${file}.tmp`, JSON.stringify(entry));
  renameSync(`${file}.tmp`, file);
  return () => rmSync(file, { force: true });
}

/** Every announced proxy whose process still runs; entries of killed proxies (which could not withdraw them) are removed. */
export function liveEntries(): ProxyEntry[] {
  const dir = registryDir();
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const file = join(dir, name);
    try {
      const entry = JSON.parse(readFileSync(file, 'utf8')) as ProxyEntry;
      if (isRunning(entry.pid)) return [entry];
      rmSync(file, { force: true });
    } catch {
      // Withdrawn while we read it.
    }
    return [];
  });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
