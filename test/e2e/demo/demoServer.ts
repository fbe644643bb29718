import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../../servers/freePort.ts';

const repo = resolve(import.meta.dirname, '../../..');

/** The demo server (`demo/server.ts`) started for a spec file, on free ports. */
export interface DemoServer {
  url: string;
  /** The remote (the embedded WebDAV server unless given), reached directly, not through the gate. */
  davUrl: string;
  /** The airplane gate the worker syncs through. */
  gateUrl: string;
  stop(): Promise<void>;
}

/**
 * Spawns `node --import tsx demo/server.ts` (one process, so stopping it by
 * PID stops everything) with a fresh remote directory, and waits until it
 * serves. With `remote`, the demo syncs there (`ACTORDAV_REMOTE`) instead of
 * its embedded server. Needs `npm run build:demo` first.
 */
export async function startDemoServer(options: { remote?: string } = {}): Promise<DemoServer> {
  if (!existsSync(join(repo, 'dist-demo', 'sw.js'))) {
    throw new Error('dist-demo/ is missing: run `npm run build:demo` before the demo tests');
  }
  const [port, davPort, gatePort] = [await freePort(), await freePort(), await freePort()];
  const data = await mkdtemp(join(tmpdir(), 'actordav-demo-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'demo/server.ts'], {
    cwd: repo,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DAV_PORT: String(davPort),
      GATE_PORT: String(gatePort),
      REMOTE_DATA_DIR: data,
      ACTORDAV_REMOTE: options.remote ?? '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`demo server exited:\n${output}`);
    const ready = await fetch(`${url}demo-config.json`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`demo server did not start in 20 s:\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  return {
    url,
    davUrl: options.remote ?? `http://127.0.0.1:${davPort}/`,
    gateUrl: `http://127.0.0.1:${gatePort}/`,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(data, { recursive: true, force: true });
    },
  };
}
