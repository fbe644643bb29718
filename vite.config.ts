/// <reference types="vitest/config" />
import { resolve } from 'node:path';
import { build, defineConfig, type Plugin, type UserConfig } from 'vite';

/**
 * `vite build` builds the library; `--mode demo` the demo PWA, `--mode e2e`
 * the app the end-to-end tests drive and `--mode bench` the benchmarks' app. Each app has a page (`index.html`) and
 * a service worker (`sw.ts`) bundled on its own into `/sw.js`.
 */
export default defineConfig(({ mode }) => {
  if (mode === 'demo') return appConfig('demo', 'dist-demo');
  if (mode === 'e2e') return appConfig('test/e2e/app', 'test/e2e/.app-dist');
  if (mode === 'bench') return appConfig('bench/app', 'bench/.app-dist');
  return {
    test: { include: ['test/unit/**/*.test.ts'] },
    build: {
      target: 'es2022',
      lib: {
        entry: { sw: resolve('src/sw.ts'), client: resolve('src/client.ts') },
        formats: ['es'],
      },
      rolldownOptions: {
        external: ['idb', 'workbox-core', 'workbox-routing', 'saxen'],
      },
    },
  };
});

function appConfig(root: string, outDir: string): UserConfig {
  return {
    root,
    build: { outDir: resolve(outDir), emptyOutDir: true, target: 'es2022' },
    plugins: [serviceWorker(resolve(root, 'sw.ts'), resolve(outDir))],
  };
}

// The worker must be one self-contained file at the root, so it gets its own build after the page's.
function serviceWorker(entry: string, outDir: string): Plugin {
  return {
    name: 'actordav-service-worker',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        logLevel: 'warn',
        // Workbox reads process.env.NODE_ENV to drop its dev-only checks; a worker has no `process`.
        define: { 'process.env.NODE_ENV': JSON.stringify('production') },
        build: {
          minify: true,
          outDir,
          emptyOutDir: false,
          target: 'es2022',
          lib: { entry, formats: ['es'], fileName: () => 'sw.js' },
        },
      });
    },
  };
}
