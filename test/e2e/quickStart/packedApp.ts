import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readmeSnippets } from './buildQuickStart.ts';

const repo = resolve(import.meta.dirname, '../../..');

/** What a command printed, stdout and stderr interleaved, and how long it took. */
export interface Ran {
  output: string;
  ms: number;
}

/** Runs `command args` in `cwd` to its end; a non-zero exit throws with everything it printed. */
export async function run(cwd: string, command: string, args: readonly string[]): Promise<Ran> {
  const started = performance.now();
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done, fail) => {
    child.once('error', fail);
    child.once('exit', done);
  });
  if (code !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${String(code)}:\n${output}`);
  return { output, ms: performance.now() - started };
}

/** The newest modification time of any file under `dir`. */
async function newest(dir: string): Promise<number> {
  let latest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      latest = Math.max(latest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return latest;
}

/**
 * `npm pack` of this repo into `destination`; returns the tarball's path. It packs `dist` as
 * `npm run build` left it, so a `dist` older than `src` is refused: packing stale output would
 * test a library nobody wrote.
 */
export async function packLibrary(destination: string): Promise<{ tarball: string; ms: number }> {
  const built = await stat(join(repo, 'dist', 'sw.js')).catch(() => undefined);
  if (built === undefined || built.mtimeMs < (await newest(join(repo, 'src')))) {
    throw new Error('dist is missing or older than src: run `npm run build` before this spec');
  }
  const { output, ms } = await run(repo, 'npm', [
    'pack',
    '--json',
    '--silent',
    '--pack-destination',
    destination,
  ]);
  const [packed] = JSON.parse(output) as { filename: string }[];
  if (packed === undefined) throw new Error(`npm pack printed no file:\n${output}`);
  return { tarball: join(destination, packed.filename), ms };
}

/** The version of `name` this repo has installed, so the app's install is served from npm's cache. */
async function repoVersion(name: string): Promise<string> {
  const manifest = await readFile(join(repo, 'node_modules', name, 'package.json'), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}

/**
 * A fresh app folder as a new user makes it: a package.json with Vite and vite-plugin-pwa (and
 * workbox-precaching, which the guide's worker imports) as devDependencies, then
 * `npm install <tarball>`. The versions are the ones this repo installed (package-lock.json),
 * so `--prefer-offline` finds them in the npm cache `npm ci` filled; anything missing comes from
 * the registry. The tarball itself is installed like any package, with its own dependencies.
 */
export async function installApp(root: string, tarball: string): Promise<Ran> {
  const devDependencies: Record<string, string> = {};
  for (const name of ['vite', 'vite-plugin-pwa', 'workbox-precaching']) {
    devDependencies[name] = await repoVersion(name);
  }
  await writeFile(
    join(root, 'package.json'),
    `${JSON.stringify({ name: 'packed-app', private: true, type: 'module', devDependencies }, null, 2)}\n`,
  );
  return run(root, 'npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline']);
}

/**
 * Writes the app's sources from the README's quick-start snippets and the guide's
 * vite-plugin-pwa config. `remoteOption` is the `remote: { … },` line `npx actordav remote`
 * printed; it replaces the snippet's own (dav.example.org), as the bin tells the user to do.
 */
export async function writeApp(root: string, remoteOption: string): Promise<void> {
  const { worker, page } = await readmeSnippets();
  const remoteLine = /^( *)remote: \{.*\},$/m;
  if (!remoteLine.test(worker)) throw new Error('the README worker snippet has no remote line');
  await mkdir(join(root, 'src'), { recursive: true });
  await writeFile(
    join(root, 'src', 'sw.ts'),
    [
      worker.replace(remoteLine, (_line, indent: string) => `${indent}${remoteOption}`),
      // Adaptation: injectManifest fails the build unless the worker holds its injection point,
      // `self.__WB_MANIFEST`; the guide's section on vite-plugin-pwa adds it this way.
      "import { precacheAndRoute } from 'workbox-precaching';",
      'precacheAndRoute(self.__WB_MANIFEST);',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(root, 'src', 'main.ts'),
    [
      page,
      // Adaptation: the page shows the snippet's outcome, for the test to read.
      "document.querySelector('#out')!.textContent = JSON.stringify({ status, answer });",
      '',
    ].join('\n'),
  );
  // A page error (a rejected registerActors) is shown too, by a script of the page's own.
  await writeFile(
    join(root, 'index.html'),
    `<!doctype html>
<html>
  <head>
    <meta charset="utf-8" />
    <title>packed app</title>
    <script>
      addEventListener('error', (e) => {
        document.querySelector('#error').textContent = String(e.message);
      });
    </script>
  </head>
  <body>
    <p id="out"></p>
    <p id="error"></p>
    <script type="module" src="/src/main.ts"></script>
  </body>
</html>
`,
  );
  // The guide's vite.config.ts for vite-plugin-pwa (injectManifest), icons left out.
  await writeFile(
    join(root, 'vite.config.ts'),
    `import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

export default defineConfig({
  plugins: [
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: { name: 'Packed app', short_name: 'App', theme_color: '#6b3e1f', icons: [] },
      injectManifest: { globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'] },
      devOptions: { enabled: true, type: 'module' },
    }),
  ],
});
`,
  );
}

/** `npx actordav remote …` run in the app folder: the installed package's bin. */
export interface PackedRemote {
  /** The `remote: { … },` line it printed. */
  readonly option: string;
  /** Everything it printed so far. */
  output(): string;
  /** Ctrl-C to its process group (npx and the bin under it); resolves once npx exited. */
  stop(): Promise<void>;
}

/** Starts `npx actordav remote <args>` in `root` and waits for the `remote` option it prints. */
export async function startPackedRemote(
  root: string,
  args: readonly string[],
): Promise<PackedRemote> {
  // Its own process group, so that stopping it reaches the bin npx started, not only npx.
  const child: ChildProcess = spawn('npx', ['--no-install', 'actordav', 'remote', ...args], {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async (): Promise<void> => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid, 'SIGINT');
    }
    await exited;
  };
  const deadline = Date.now() + 20_000;
  for (;;) {
    const option = /^ *(remote: \{.*\},)$/m.exec(output)?.[1];
    if (option !== undefined) return { option, output: () => output, stop };
    if (child.exitCode !== null) throw new Error(`npx actordav remote exited:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`npx actordav remote printed no remote option in 20 s:\n${output}`);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
}
