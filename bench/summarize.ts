import type { BundleSize } from './bundleSize.ts';
import type { ResultRow } from './printTable.ts';
import type { BacklogRun, DrainRun } from './scenarios/backlog.ts';
import type { LatencyRun } from './scenarios/latency.ts';
import type { LookupRun } from './scenarios/lookup.ts';
import type { ThroughputRun } from './scenarios/throughput.ts';
import { median, percentile } from './stats.ts';

/** What one repetition measured (a scenario left out by `BENCH_ONLY` is absent). */
export interface Repetition {
  latency?: LatencyRun | undefined;
  throughput?: ThroughputRun | undefined;
  backlog?: BacklogRun | undefined;
  lookup?: LookupRun | undefined;
}

/** The per-repetition figures kept in the JSON results. */
export interface RepetitionFigures {
  [name: string]: number;
}

const requests = (run: DrainRun, preflights: boolean) =>
  Object.entries(run.counts.byMethod)
    .filter(([method]) => preflights || method !== 'OPTIONS')
    .reduce((sum, [, count]) => sum + count, 0);

/** Turns a repetition's raw measurements into named figures. */
export function figures(rep: Repetition, backlogMessages: number): RepetitionFigures {
  const { latency, throughput, backlog, lookup } = rep;
  const p = (values: number[], q: number) => percentile(values, q);
  return {
    ...(latency === undefined ? {} : latencyFigures(latency, p)),
    ...throughput,
    ...(backlog === undefined ? {} : backlogFigures(backlog, backlogMessages)),
    ...(lookup === undefined
      ? {}
      : {
          lookupLargeP50: p(lookup.large, 50),
          lookupSmallP50: p(lookup.small, 50),
          lookupLargeP99: p(lookup.large, 99),
          lookupSmallP99: p(lookup.small, 99),
        }),
  };
}

function latencyFigures(
  latency: LatencyRun,
  p: (values: number[], q: number) => number,
): RepetitionFigures {
  return {
    acceptP50: p(latency.accept, 50),
    acceptP99: p(latency.accept, 99),
    acceptFloorP50: p(latency.acceptFloor, 50),
    acceptFloorP99: p(latency.acceptFloor, 99),
    acceptReadFloorP50: p(latency.acceptReadFloor, 50),
    replayP50: p(latency.replay, 50),
    replayP99: p(latency.replay, 99),
    replayFloorP50: p(latency.replayFloor, 50),
    replayFloorP99: p(latency.replayFloor, 99),
  };
}

function backlogFigures(backlog: BacklogRun, backlogMessages: number): RepetitionFigures {
  return {
    davDrainS: backlog.actordav.drainMs / 1000,
    wbDrainS: backlog.workbox.drainMs / 1000,
    davOfflineS: backlog.actordav.offlineMs / 1000,
    wbOfflineS: backlog.workbox.offlineMs / 1000,
    davRequestsPerMsg: requests(backlog.actordav, false) / backlogMessages,
    wbRequestsPerMsg: requests(backlog.workbox, false) / backlogMessages,
    davAllRequestsPerMsg: requests(backlog.actordav, true) / backlogMessages,
    wbAllRequestsPerMsg: requests(backlog.workbox, true) / backlogMessages,
  };
}

interface RowSpec {
  metric: string;
  a: string;
  b: string;
  baselineName: string;
  goal: string;
  /** Whether the goal holds, given the median figures and ratio; absent for a row with no goal. */
  check?: (ratio: number, actordav: number) => boolean;
  digits: number;
}

/** The table rows: medians over repetitions of each figure and of each per-repetition ratio. */
export function resultRows(
  reps: readonly RepetitionFigures[],
  bundles: { actordav: BundleSize; workbox: BundleSize } | undefined,
  labels: {
    concurrency: number;
    manyActors: number;
    backlog: string;
    large: string;
    small: string;
  },
): ResultRow[] {
  const specs: RowSpec[] = [
    {
      metric: 'accept p50, new key, durable (ms)',
      a: 'acceptP50',
      b: 'acceptFloorP50',
      baselineName: 'echo + 1 strict IDB put',
      goal: '≤ 1.3×',
      check: (r) => r <= 1.3,
      digits: 2,
    },
    {
      metric: 'accept p99 (ms)',
      a: 'acceptP99',
      b: 'acceptFloorP99',
      baselineName: 'echo + 1 strict IDB put',
      goal: '≤ 1.3×',
      check: (r) => r <= 1.3,
      digits: 2,
    },
    {
      metric: 'accept p50 vs what a new key needs (ms)',
      a: 'acceptP50',
      b: 'acceptReadFloorP50',
      baselineName: 'echo + 1 get + 1 strict put',
      goal: '(info)',
      digits: 2,
    },
    {
      metric: 'replay p50, seen key (ms)',
      a: 'replayP50',
      b: 'replayFloorP50',
      baselineName: 'echo + 1 IDB get',
      goal: '≤ 1.2×',
      check: (r) => r <= 1.2,
      digits: 2,
    },
    {
      metric: 'replay p99 (ms)',
      a: 'replayP99',
      b: 'replayFloorP99',
      baselineName: 'echo + 1 IDB get',
      goal: '≤ 1.2×',
      check: (r) => r <= 1.2,
      digits: 2,
    },
    {
      metric: `1 actor, ${labels.concurrency} senders (msg/s)`,
      a: 'oneActor',
      b: 'oneActorEcho',
      baselineName: `echo, ${labels.concurrency} in flight`,
      goal: '≥ 0.8×',
      check: (r) => r >= 0.8,
      digits: 0,
    },
    {
      metric: `${labels.manyActors} actors, ${labels.concurrency} senders (msg/s)`,
      a: 'manyActors',
      b: 'manyActorsEcho',
      baselineName: `echo, ${labels.concurrency} in flight`,
      goal: '≥ 0.8×',
      check: (r) => r >= 0.8,
      digits: 0,
    },
    {
      metric: `backlog ${labels.backlog}: drain (s)`,
      a: 'davDrainS',
      b: 'wbDrainS',
      baselineName: 'workbox-background-sync',
      goal: '≤ 0.2×',
      check: (r) => r <= 0.2,
      digits: 2,
    },
    {
      metric: 'backlog: remote requests / message',
      a: 'davRequestsPerMsg',
      b: 'wbRequestsPerMsg',
      baselineName: 'workbox-background-sync',
      goal: '≤ 0.1 /msg',
      check: (_r, a) => a <= 0.1,
      digits: 3,
    },
    {
      metric: '  the same, with CORS preflights',
      a: 'davAllRequestsPerMsg',
      b: 'wbAllRequestsPerMsg',
      baselineName: 'workbox-background-sync',
      goal: '(info)',
      digits: 3,
    },
    {
      metric: `receipt lookup p50, ${labels.large} stored (ms)`,
      a: 'lookupLargeP50',
      b: 'lookupSmallP50',
      baselineName: `${labels.small} stored`,
      goal: '≤ 1.2×',
      check: (r) => r <= 1.2,
      digits: 2,
    },
    {
      metric: 'receipt lookup p99 (ms)',
      a: 'lookupLargeP99',
      b: 'lookupSmallP99',
      baselineName: `${labels.small} stored`,
      goal: '(info)',
      digits: 2,
    },
  ];
  const measured = specs.filter((spec) => reps.some((rep) => rep[spec.a] !== undefined));
  const rows = measured.map((spec): ResultRow => {
    const a = reps.map((rep) => rep[spec.a] ?? Number.NaN);
    const b = reps.map((rep) => rep[spec.b] ?? Number.NaN);
    const ratios = a.map((value, index) => value / (b[index] ?? Number.NaN));
    const ratio = median(ratios);
    const actordav = median(a);
    return {
      metric: spec.metric,
      actordav,
      baseline: median(b),
      baselineName: spec.baselineName,
      ratio,
      ratioRange: [Math.min(...ratios), Math.max(...ratios)],
      goal: spec.goal,
      met: spec.check?.(ratio, actordav),
      digits: spec.digits,
    };
  });
  if (bundles === undefined) return rows;
  const kb = (size: BundleSize) => size.gzipped / 1024;
  const bundleRatio = bundles.actordav.gzipped / bundles.workbox.gzipped;
  rows.push({
    metric: 'actordav/sw, min+gzip (KB)',
    actordav: kb(bundles.actordav),
    baseline: kb(bundles.workbox),
    baselineName: 'workbox core+routing+bg-sync',
    ratio: bundleRatio,
    ratioRange: [bundleRatio, bundleRatio],
    goal: '≤ 3×',
    met: bundleRatio <= 3,
    digits: 1,
  });
  return rows;
}
