import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../../..');
/** The bin as the package ships it (package.json "bin"), built by `npm run build`. */
export const devRemoteBin = join(repo, 'dist', 'bin', 'actordav.js');

/** `actordav remote …` running as its own process. */
export interface DevRemoteProcess {
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** The `url` of the `remote` option it printed. */
  readonly url: string;
  /** Sends SIGINT (Ctrl-C) and resolves with its exit code. */
  stop(): Promise<number | null>;
}

/** Runs the built bin with `args` and waits for the `remote` option it prints. */
export async function startDevRemote(args: readonly string[]): Promise<DevRemoteProcess> {
  if (!existsSync(devRemoteBin)) {
    throw new Error(`${devRemoteBin} is missing: run \`npm run build\` before this spec`);
  }
  const child: ChildProcess = spawn(process.execPath, [devRemoteBin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', done));
  const deadline = Date.now() + 15_000;
  let url: string | undefined;
  while (url === undefined) {
    url = /remote: \{ url: "([^"]+)"/.exec(output)?.[1];
    if (url !== undefined) break;
    if (child.exitCode !== null) throw new Error(`actordav remote exited:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`actordav remote printed no remote option in 15 s:\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  return {
    output: () => output,
    url,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

/** Runs the built bin to its end: its exit code and what it printed. */
export function runDevRemoteBin(
  args: readonly string[],
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [devRemoteBin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((done) => child.once('exit', (code) => done({ code, output })));
}
