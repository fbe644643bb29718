import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** Bytes of one entry bundled for a service worker, minified, then gzipped. */
export interface BundleSize {
  minified: number;
  gzipped: number;
}

/** Bundles `contents` (an entry module, resolved from the repository root) the one way both sides get. */
export async function bundleSize(contents: string): Promise<BundleSize> {
  const result = await build({
    stdin: { contents, resolveDir: process.cwd(), loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
    // Workbox drops its dev-only checks on this, as the apps' worker builds do.
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
}

/** What an app imports from `actordav/sw`, and the three Workbox packages it compares with. */
export const bundleEntries = {
  actordav: "export { createActorHost } from './src/sw.ts';",
  actordavAll: "export * from './src/sw.ts';",
  workbox:
    "export * from 'workbox-core'; export * from 'workbox-routing'; export * from 'workbox-background-sync';",
} as const;
