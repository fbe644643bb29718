import { copyFile, cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * Bundles the demo (its page script and its worker) into a temp dir with esbuild, the way
 * `npm run build:demo` lays it out (`/index.html`, `/sw.js`, `public/`), without touching
 * `dist-demo` (which other runs may be building).
 */
export async function buildDemo(): Promise<string> {
  const out = await mkdtemp(join(tmpdir(), 'actordav-demo-'));
  await build({
    entryPoints: { main: 'demo/main.ts', sw: 'demo/sw.ts' },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    outdir: out,
    logLevel: 'warning',
    // Workbox reads process.env.NODE_ENV; a worker has no `process`.
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const html = await readFile('demo/index.html', 'utf8');
  if (!html.includes('src="./main.ts"'))
    throw new Error('demo/index.html no longer loads ./main.ts');
  await writeFile(join(out, 'index.html'), html.replace('src="./main.ts"', 'src="./main.js"'));
  await copyFile('demo/style.css', join(out, 'style.css'));
  await cp('demo/public', out, { recursive: true }).catch(() => undefined);
  return out;
}
