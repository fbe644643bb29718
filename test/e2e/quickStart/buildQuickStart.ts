import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';

const repo = resolve(import.meta.dirname, '../../..');

/** The README's two quick-start snippets (worker, page), exactly as printed. */
export async function readmeSnippets(): Promise<{ worker: string; page: string }> {
  const readme = await readFile(join(repo, 'README.md'), 'utf8');
  const section = readme.split('## Use it in your service worker')[1] ?? '';
  const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] ?? '');
  const [worker, page] = blocks;
  if (worker === undefined || page === undefined) throw new Error('README quick start not found');
  return { worker, page };
}

/**
 * Builds an app from the README's snippets, verbatim: `sw.ts` is the worker
 * snippet, `main.ts` the page snippet followed by a line that shows its
 * outcome; `actordav/sw` and `actordav/client` resolve to this repo's
 * sources. A page error (a rejected `registerActors`) is shown too, by a
 * script of the page's own. Returns the built folder.
 */
export async function buildQuickStart(): Promise<string> {
  const { worker, page } = await readmeSnippets();
  const root = await mkdtemp(join(tmpdir(), 'actordav-quick-start-'));
  const outDir = join(root, 'dist');
  await mkdir(outDir);
  await writeFile(join(root, 'sw.ts'), worker);
  await writeFile(
    join(root, 'main.ts'),
    `${page}\ndocument.querySelector('#out')!.textContent = JSON.stringify({ status, answer });\n`,
  );
  await writeFile(
    join(root, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8"><title>quick start</title>
<script>addEventListener('error', (e) => { document.querySelector('#error').textContent = String(e.error && e.error.name) + ' ' + String(e.error && e.error.code) + ': ' + String(e.message); });</script>
</head><body><p id="out"></p><p id="error"></p><script type="module" src="/main.ts"></script></body></html>`,
  );
  const alias = {
    'actordav/sw': join(repo, 'src/sw.ts'),
    'actordav/client': join(repo, 'src/client.ts'),
  };
  await build({
    configFile: false,
    logLevel: 'warn',
    root,
    resolve: { alias },
    build: { outDir, emptyOutDir: false, target: 'es2022' },
  });
  await build({
    configFile: false,
    logLevel: 'warn',
    resolve: { alias },
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2022',
      lib: { entry: join(root, 'sw.ts'), formats: ['es'], fileName: () => 'sw.js' },
    },
  });
  return outDir;
}
