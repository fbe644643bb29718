import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { build } from 'esbuild';
import type { RequestSpec } from './app/benchApi.ts';
import { launchBrowser } from './browser/launchBrowser.ts';
import { connectCdp } from './profile/cdpClient.ts';
import { cpuBetween, processCpu } from './profile/processCpu.ts';
import { summarizeProfile, type CpuProfile } from './profile/summarizeProfile.ts';
import type { PageSession } from './server/rpcSessions.ts';
import { serveBench } from './server/serveBench.ts';
import { median } from './stats.ts';

/**
 * Profiles one scenario: the service worker's CPU profile (CDP Profiler on an
 * unminified build, so names are readable) and the CPU each Chromium process
 * used. `tsx bench/profile.ts many` (scenarios: accept, replay, one, many, echo).
 * Writes `bench/results/profile-{scenario}.cpuprofile` for DevTools.
 */
const scenario = process.argv[2] ?? 'many';
const count = Number(process.argv[3] ?? '1500');
const body = '{"type":"add","amount":1}';

const scenarios: Record<string, (page: PageSession) => Promise<string>> = {
  accept: async (page) => {
    const { times } = await page.call('sequential', spec('accept', 1), 0, count);
    return `accept p50 ${median(times).toFixed(2)} ms over ${count}`;
  },
  replay: async (page) => {
    await page.call('sequential', spec('replay', 1), 0, count);
    return 'replay (keys accepted before profiling)';
  },
  one: (page) => concurrent(page, spec('one', 1)),
  many: (page) => concurrent(page, spec('many', 50)),
  echo: (page) => concurrent(page, { method: 'POST', path: '/bench/echo', body }),
};

function spec(actor: string, actors: number): RequestSpec {
  return { method: 'POST', path: `/actors/${actor}-{a}/execute`, key: 'k{i}', body, actors };
}

async function concurrent(page: PageSession, request: RequestSpec): Promise<string> {
  const { ms, statuses } = await page.call('concurrent', request, count, 64);
  return `${((count / ms) * 1000).toFixed(0)} msg/s, ${JSON.stringify(statuses)}`;
}

async function main(): Promise<void> {
  const run = scenarios[scenario];
  if (run === undefined) throw new RangeError(`unknown scenario ${scenario}`);
  const work = await mkdtemp(join(tmpdir(), 'actordav-profile-'));
  const workerFile = join(work, 'sw.js');
  await build({
    entryPoints: ['bench/app/sw.ts'],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    keepNames: true,
    outfile: workerFile,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const server = await serveBench('bench/.app-dist', { workerFile });
  const id = randomUUID();
  const page = server.session(id);
  const profileDir = join(work, 'profile');
  const browser = await launchBrowser(profileDir, `${server.url}?session=${id}`, 'raw', [
    '--remote-debugging-port=0',
  ]);
  try {
    await page.ready;
    // Warm up (and, for `replay`, accept the keys that will be replayed).
    await page.call('concurrent', spec('warm', 50), 300, 64);
    if (scenario === 'replay') await page.call('sequential', spec('replay', 1), 0, count);
    const [port, path] = (await readFile(join(profileDir, 'DevToolsActivePort'), 'utf8')).split(
      '\n',
    );
    const cdp = await connectCdp(`ws://127.0.0.1:${port}${path}`);
    const { targetInfos } = await cdp.send<{ targetInfos: { targetId: string; type: string }[] }>(
      'Target.getTargets',
    );
    const worker = targetInfos.find((target) => target.type === 'service_worker');
    if (worker === undefined) throw new Error('no service worker target');
    const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', {
      targetId: worker.targetId,
      flatten: true,
    });
    await cdp.send('Profiler.enable', {}, sessionId);
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 }, sessionId);
    const pid = browser.pid ?? 0;
    const before = await processCpu(pid);
    const started = performance.now();
    await cdp.send('Profiler.start', {}, sessionId);
    const outcome = await run(page);
    const { profile } = await cdp.send<{ profile: CpuProfile }>('Profiler.stop', {}, sessionId);
    const wallS = (performance.now() - started) / 1000;
    const used = cpuBetween(before, await processCpu(pid));
    cdp.close();
    await mkdir('bench/results', { recursive: true });
    const file = `bench/results/profile-${scenario}.cpuprofile`;
    await writeFile(file, JSON.stringify(profile));
    console.log(`${scenario}: ${outcome}; wall ${wallS.toFixed(2)} s`);
    console.log('CPU seconds by Chromium process over the run (and per 1,000 requests):');
    for (const [kind, seconds] of Object.entries(used).sort((a, b) => b[1] - a[1])) {
      if (seconds < 0.005) continue;
      console.log(
        `  ${kind.padEnd(34)} ${seconds.toFixed(2)} s  ${((seconds / count) * 1000).toFixed(2)}`,
      );
    }
    console.log(`service worker thread, top self time (profile in ${file}):`);
    for (const spot of summarizeProfile(profile)) {
      console.log(
        `  ${(spot.selfShare * 100).toFixed(1).padStart(5)}%  self ${spot.selfMs.toFixed(0).padStart(5)} ms  ` +
          `total ${spot.totalMs.toFixed(0).padStart(5)} ms  ${spot.name}`,
      );
    }
  } finally {
    page.end();
    await browser.close();
    await server.close();
    await sleep(100);
    await rm(work, { recursive: true, force: true, maxRetries: 5 });
  }
}

await main();
