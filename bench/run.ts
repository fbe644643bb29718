import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedWebdav } from '../src/devRemote/startEmbeddedWebdav.ts';
import { benchSize, type BenchSize } from './benchSize.ts';
import { launchBrowser, type Driver } from './browser/launchBrowser.ts';
import { bundleEntries, bundleSize } from './bundleSize.ts';
import { stopAllOnInterrupt, stopOnInterrupt } from './cleanup.ts';
import { formatTable } from './printTable.ts';
import { historyRows } from './history/historyRows.ts';
import { measureBacklog, type BacklogRun } from './scenarios/backlog.ts';
import { buildHistory, measureHistory, type HistoryRun } from './scenarios/history.ts';
import { measureLatency } from './scenarios/latency.ts';
import { fillLookupStores, measureLookup, type LookupRun } from './scenarios/lookup.ts';
import { selectedScenarios } from './scenarios/scenarioNames.ts';
import { measureThroughput } from './scenarios/throughput.ts';
import { startCountingProxy, type CountingProxy } from './server/countingProxy.ts';
import type { PageSession } from './server/rpcSessions.ts';
import { serveBench, type BenchServer } from './server/serveBench.ts';
import { figures, resultRows, type RepetitionFigures } from './summarize.ts';

const size = benchSize();
const only = selectedScenarios();
const driver: Driver = process.env['BENCH_DRIVER'] === 'playwright' ? 'playwright' : 'raw';
const t0 = performance.now();
const log = (message: string) =>
  console.error(`[bench ${((performance.now() - t0) / 1000).toFixed(1)} s] ${message}`);

/** Opens the bench page in a fresh browser on `profile`, runs `work` on it, closes the browser. */
async function withPage<T>(
  server: BenchServer,
  profile: string,
  query: Record<string, string>,
  work: (page: PageSession) => Promise<T>,
): Promise<T> {
  const id = randomUUID();
  const session = server.session(id);
  const url = `${server.url}?${new URLSearchParams({ ...query, session: id }).toString()}`;
  const browser = await launchBrowser(profile, url, driver);
  const forget = stopOnInterrupt(() => browser.close());
  try {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      session.ready,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('the bench page did not start in 60 s')), 60_000);
      }),
    ]).finally(() => clearTimeout(timer));
    return await work(session);
  } finally {
    session.end();
    await browser.close();
    forget();
  }
}

/** The receipt lookups, in a browser on the lookup profile (filled on the first repetition). */
async function lookupRepetition(server: BenchServer, profile: string, rep: number) {
  return withPage(server, profile, {}, async (page) => {
    if (rep === 0) {
      const took = await fillLookupStores(page, size);
      log(
        `filled the lookup stores in ${took.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')}`,
      );
    }
    return measureLookup(page, size, rep);
  });
}

/** Latency, throughput and the backlog, in a fresh browser on a fresh profile with a fresh remote. */
/** A fresh embedded WebDAV server behind a counting proxy, and a fresh profile, for `use`; removed after. */
async function withFreshRemote<T>(
  work: string,
  label: string,
  use: (
    remote: { davRoot: string; dav: { url: string }; proxy: CountingProxy },
    profile: string,
  ) => Promise<T>,
): Promise<T> {
  const davRoot = await mkdtemp(join(work, `dav-${label}-`));
  const dav = await startEmbeddedWebdav({ root: davRoot, allowOrigins: 'any' });
  const proxy = await startCountingProxy(dav.url);
  const forget = stopOnInterrupt(async () => {
    await proxy.close();
    await dav.close();
  });
  const profile = await mkdtemp(join(work, `profile-${label}-`));
  try {
    return await use({ davRoot, dav, proxy }, profile);
  } finally {
    forget();
    await proxy.close();
    await dav.close();
    await rm(profile, { recursive: true, force: true, maxRetries: 5 });
    await rm(davRoot, { recursive: true, force: true, maxRetries: 5 });
  }
}

async function mainRepetition(server: BenchServer, work: string, rep: number) {
  return withFreshRemote(work, String(rep), ({ dav, proxy }, profile) =>
    withPage(server, profile, { remote: proxy.url }, async (page) => {
      const step = async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
        if (!only.has(name as never)) return undefined;
        const result = await run();
        log(`repetition ${rep + 1}: ${name} done`);
        return result;
      };
      const latency = await step('latency', () => measureLatency(page, size, rep));
      const throughput = await step('throughput', () => measureThroughput(page, size, rep));
      const backlog = await step('backlog', () =>
        measureBacklog(page, size, { proxy, directUrl: dav.url }, rep, (line) =>
          log(`repetition ${rep + 1}: ${line}`),
        ),
      );
      return { latency, throughput, backlog };
    }),
  );
}

/** One history: folded in Node into a fresh remote, then joined by a browser on a fresh profile. */
async function historyRun(
  server: BenchServer,
  work: string,
  messages: number,
): Promise<HistoryRun> {
  return withFreshRemote(work, `history-${messages}`, async ({ davRoot, dav, proxy }, profile) => {
    const remote = { davRoot, directUrl: dav.url, proxy };
    const built = await buildHistory(remote, messages);
    log(
      `history of ${messages} messages folded and written in ${(built.buildMs / 1000).toFixed(1)} s`,
    );
    return withPage(server, profile, { remote: proxy.url }, (page) =>
      measureHistory(page, remote, built, log),
    );
  });
}

function labels(size: BenchSize) {
  const count = (store: { actors: number; perActor: number }) =>
    (store.actors * store.perActor).toLocaleString('en');
  return {
    concurrency: size.concurrency,
    manyActors: size.manyActors,
    backlog: `${size.backlogMessages.toLocaleString('en')} msgs / ${size.backlogActors} actors`,
    large: count(size.lookupLarge),
    small: count(size.lookupSmall),
  };
}

async function main(): Promise<void> {
  stopAllOnInterrupt();
  const loadBefore = loadavg()[0] ?? 0;
  const bundles = only.has('bundle')
    ? {
        actordav: await bundleSize(bundleEntries.actordav),
        workbox: await bundleSize(bundleEntries.workbox),
      }
    : undefined;
  const server = await serveBench('bench/.app-dist');
  const work = await mkdtemp(join(tmpdir(), 'actordav-bench-'));
  const forget = stopOnInterrupt(async () => {
    await server.close();
    await rm(work, { recursive: true, force: true, maxRetries: 5 });
  });
  const reps: RepetitionFigures[] = [];
  const remoteCounts: { actordav: unknown; workbox: unknown }[] = [];
  const histories: HistoryRun[] = [];
  const browserScenarios = ['latency', 'throughput', 'backlog'].some((name) =>
    only.has(name as never),
  );
  try {
    const lookupProfile = join(work, 'lookup-profile');
    await mkdir(lookupProfile);
    for (let rep = 0; rep < size.repetitions && (browserScenarios || only.has('lookup')); rep++) {
      const lookup: LookupRun | undefined = only.has('lookup')
        ? await lookupRepetition(server, lookupProfile, rep)
        : undefined;
      const main = browserScenarios ? await mainRepetition(server, work, rep) : undefined;
      reps.push(figures({ ...main, lookup }, size.backlogMessages));
      const backlog: BacklogRun | undefined = main?.backlog;
      if (backlog !== undefined) {
        remoteCounts.push({ actordav: backlog.actordav.counts, workbox: backlog.workbox.counts });
      }
      log(`repetition ${rep + 1} of ${size.repetitions} done`);
    }
    for (const messages of only.has('history') ? size.histories : []) {
      histories.push(await historyRun(server, work, messages));
      // A long run keeps what it measured so far, should a later history fail.
      await mkdir(join('bench', 'results'), { recursive: true });
      const partial = join('bench', 'results', `history-partial-${size.name}.json`);
      await writeFile(partial, `${JSON.stringify(histories)}\n`);
    }
  } finally {
    forget();
    await server.close();
    await rm(work, { recursive: true, force: true, maxRetries: 5 });
  }
  const rows = [...resultRows(reps, bundles, labels(size)), ...historyRows(histories)];
  const load = [loadBefore, loadavg()[0] ?? 0].map((value) => value.toFixed(1)).join(' → ');
  const runs = [
    ...(reps.length === 0 ? [] : [`medians of ${size.repetitions} fresh browsers`]),
    ...(histories.length === 0 ? [] : ['history: one fresh browser per history, over its rounds']),
  ].join('; ');
  const title =
    `actordav benchmarks — size ${size.name}: ${runs} ` +
    `(${driver} Chromium, persistent profiles), ${cpus().length} cores, load ${load}, ` +
    `${((performance.now() - t0) / 1000).toFixed(0)} s, ${new Date().toISOString()}`;
  const note =
    size.name === 'ci'
      ? '\n(size ci proves the harness works; its counts are too small for the goals to mean anything)'
      : '';
  console.log(`${title}${note}\n\n${formatTable(rows)}\n`);
  const stamp = new Date().toISOString().replaceAll(':', '-');
  const file = join('bench', 'results', `${stamp}-${size.name}.json`);
  await mkdir(join('bench', 'results'), { recursive: true });
  const results = {
    title,
    size,
    driver,
    only: [...only],
    bundles,
    rows,
    repetitions: reps,
    remoteCounts,
    histories,
  };
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written to ${file}`);
}

await main();
