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
  if (mode === 'e2e') return appConfig('test/e2e/app', 'test/e2e/.app-dist', e2eWorkers);
  if (mode === 'bench') return appConfig('bench/app', 'bench/.app-dist');
  return {
    test: {
      include: ['test/unit/**/*.test.ts'],
      setupFiles: ['test/unit/support/registryEquality.ts'],
    },
    build: {
      target: 'es2022',
      lib: {
        entry: {
          sw: resolve('src/sw.ts'),
          client: resolve('src/client.ts'),
          workbox: resolve('src/workbox.ts'),
        },
        formats: ['es'],
      },
      rolldownOptions: {
        external: ['idb', 'workbox-core', 'workbox-routing', 'saxen'],
      },
    },
    plugins: [commandLine()],
  };
});

/**
 * `npx actordav` (src/devRemote/bin.ts) is a Node program: built on its own after the library,
 * so no chunk of it can end up shared with the worker or page bundles.
 */
function commandLine(): Plugin {
  return {
    name: 'actordav-command-line',
    apply: 'build',
    async closeBundle() {
      await build({
        configFile: false,
        logLevel: 'warn',
        build: {
          ssr: resolve('src/devRemote/bin.ts'),
          outDir: resolve('dist/bin'),
          emptyOutDir: true,
          target: 'node20',
          rolldownOptions: {
            // Resolved at run time: nephele is an optional dependency (src/devRemote/runCli.ts).
            external: [/^node:/, 'nephele', '@nephele/adapter-file-system'],
            output: {
              entryFileNames: 'actordav.js',
              chunkFileNames: '[name].js',
              banner: (chunk) => (chunk.isEntry ? '#!/usr/bin/env node' : ''),
            },
          },
        },
      });
    },
  };
}

/** One build of an app's worker: its file at the app's root, and the constants it is built with. */
interface WorkerBuild {
  file: string;
  define?: Record<string, string>;
}

/**
 * The end-to-end app's workers: today's release, the next one (a command more, as in a rolling
 * upgrade), and one built with the remote's probe forced off (src/sync/probeForcedOff.ts).
 */
const e2eWorkers: WorkerBuild[] = [
  { file: 'sw.js', define: { __APP_RELEASE__: '"current"' } },
  { file: 'sw-next.js', define: { __APP_RELEASE__: '"next"' } },
  {
    file: 'sw-unprobed.js',
    define: { __APP_RELEASE__: '"current"', __ACTORDAV_UNPROBED__: 'true' },
  },
];

function appConfig(
  root: string,
  outDir: string,
  workers: WorkerBuild[] = [{ file: 'sw.js' }],
): UserConfig {
  return {
    root,
    build: { outDir: resolve(outDir), emptyOutDir: true, target: 'es2022' },
    plugins: [serviceWorkers(resolve(root, 'sw.ts'), resolve(outDir), workers)],
  };
}

// A worker must be one self-contained file at the root, so each gets its own build after the page's.
function serviceWorkers(entry: string, outDir: string, workers: WorkerBuild[]): Plugin {
  return {
    name: 'actordav-service-worker',
    apply: 'build',
    async closeBundle() {
      for (const worker of workers) {
        await build({
          configFile: false,
          logLevel: 'warn',
          // Workbox reads process.env.NODE_ENV to drop its dev-only checks; a worker has no `process`.
          define: { 'process.env.NODE_ENV': JSON.stringify('production'), ...worker.define },
          build: {
            minify: true,
            outDir,
            emptyOutDir: false,
            target: 'es2022',
            lib: { entry, formats: ['es'], fileName: () => worker.file },
          },
        });
      }
    },
  };
}
