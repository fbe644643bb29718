import type { ResultRow } from '../printTable.ts';
import type { HistoryRun, RoundCost } from '../scenarios/history.ts';
import { median } from '../stats.ts';

type Metric = 'requests' | 'bytesUp' | 'bytesDown' | 'ms';

const metrics: { key: Metric; label: string; digits: number; unit: (value: number) => number }[] = [
  { key: 'requests', label: 'remote requests', digits: 1, unit: (v) => v },
  { key: 'bytesUp', label: 'KB sent', digits: 1, unit: (v) => v / 1024 },
  { key: 'bytesDown', label: 'KB received', digits: 1, unit: (v) => v / 1024 },
  { key: 'ms', label: 'wall ms', digits: 0, unit: (v) => v },
];

const mean = (values: readonly number[]) =>
  values.reduce((sum, value) => sum + value, 0) / values.length;

const label = (messages: number) =>
  messages >= 1000 ? `${(messages / 1000).toLocaleString('en')}k` : String(messages);

function row(
  metric: string,
  actordav: number,
  baseline: number,
  baselineName: string,
  goal: string,
  digits: number,
  limit?: number,
): ResultRow {
  const ratio = actordav / baseline;
  return {
    metric,
    actordav,
    baseline,
    baselineName,
    ratio,
    ratioRange: [ratio, ratio],
    goal,
    met: limit === undefined ? undefined : ratio <= limit,
    digits,
  };
}

/** The per-round figure of a metric over a cycle: its median (a typical round) or its mean (every round's share). */
function over(rounds: readonly RoundCost[], key: Metric, stat: 'median' | 'mean'): number {
  const values = rounds.map((round) => round[key]);
  return stat === 'median' ? median(values) : mean(values);
}

/**
 * The history rows: each larger history's round against the same round at
 * the smallest, measured in the same run; the remote's size and a new
 * device's first pull against the head's content; format 1, computed from
 * the same histories, beside format 2.
 */
export function historyRows(runs: readonly HistoryRun[]): ResultRow[] {
  const base = runs[0];
  if (base === undefined) return [];
  const rows: ResultRow[] = [];
  const baseName = (stat: string) => `same, ${label(base.messages)} history, ${stat}`;
  for (const run of runs.slice(1)) {
    const at = label(run.messages);
    for (const stat of ['median', 'mean'] as const) {
      for (const { key, label: name, digits, unit } of metrics) {
        rows.push(
          row(
            `round of 10 @${at}, ${stat}: ${name}`,
            unit(over(run.cycle, key, stat)),
            unit(over(base.cycle, key, stat)),
            baseName(stat === 'mean' ? 'mean' : 'median'),
            '≤ 1.2×',
            digits,
            1.2,
          ),
        );
      }
    }
    const checkpoint = (history: HistoryRun) =>
      history.cycle.find((round) => round.checkpoint) as RoundCost;
    const listed = (history: HistoryRun) => mean(history.cycle.map((round) => round.listed));
    rows.push(
      row(
        `  its checkpoint round: KB sent`,
        checkpoint(run).bytesUp / 1024,
        checkpoint(base).bytesUp / 1024,
        `same, ${label(base.messages)} history`,
        '(info)',
        1,
      ),
      row(
        `  segments in log/ when listed, mean`,
        listed(run),
        listed(base),
        `same, ${label(base.messages)} history`,
        '(info)',
        1,
      ),
      row(
        `  versions in its checkpoint cycle`,
        run.cycleVersions,
        base.cycleVersions,
        `same, ${label(base.messages)} history`,
        '(info)',
        0,
      ),
    );
  }
  for (const run of runs) {
    const at = label(run.messages);
    rows.push(
      row(
        `stored / head content @${at} (MB)`,
        run.storedAtEnd / 2 ** 20,
        run.contentAtEnd / 2 ** 20,
        'head content, after removal',
        '≤ 3×',
        2,
        3,
      ),
      row(
        `  the same at its checkpoint (MB)`,
        run.storedAtCheckpoint / 2 ** 20,
        run.contentAtCheckpoint / 2 ** 20,
        'head content, before removal',
        '≤ 3×',
        2,
        3,
      ),
      row(
        `new device's first pull @${at}: MB received`,
        run.pull.bytesDown / 2 ** 20,
        run.contentAtJoin / 2 ** 20,
        'head content',
        '≤ 2.5×',
        2,
        2.5,
      ),
      row(
        `  its chain's files at the longest (MB)`,
        longestChain(run) / 2 ** 20,
        run.contentAtCheckpoint / 2 ** 20,
        'head content, at the checkpoint',
        '≤ 2.5×',
        2,
        2.5,
      ),
    );
  }
  for (const run of runs) rows.push(...format1Rows(run));
  return rows;
}

/**
 * What a device joining just before the browser's checkpoint would have read
 * of version files: the chain it joined (checkpoint and deltas) with every
 * delta the rounds added to it, each as measured on the remote. The first
 * pull's worst case, less its listings and probe.
 */
function longestChain(run: HistoryRun): number {
  const added = [...run.warmUp, ...run.cycle]
    .filter((round) => round.version < checkpointOf(run))
    .reduce((sum, round) => sum + round.fileBytes, 0);
  return run.chainAtJoin + added;
}

function checkpointOf(run: HistoryRun): number {
  return run.cycle.find((round) => round.checkpoint)?.version ?? Infinity;
}

/** Format 2 (measured) beside format 1 (computed from the same history: DESIGN.md §5). */
function format1Rows(run: HistoryRun): ResultRow[] {
  const at = label(run.messages);
  const f1 = format1Figures(run);
  const f2 = (key: Metric) => over(run.cycle, key, 'mean');
  const name = 'format 1, computed';
  return [
    row(
      `format 2 vs 1 @${at}: round KB sent`,
      f2('bytesUp') / 1024,
      f1.sent / 1024,
      name,
      '(info)',
      1,
    ),
    row(
      `format 2 vs 1 @${at}: round KB received`,
      f2('bytesDown') / 1024,
      f1.received / 1024,
      name,
      '(info)',
      1,
    ),
    row(
      `format 2 vs 1 @${at}: MB stored`,
      run.storedAtEnd / 2 ** 20,
      f1.stored / 2 ** 20,
      name,
      '(info)',
      2,
    ),
    row(
      `format 2 vs 1 @${at}: first pull MB`,
      run.pull.bytesDown / 2 ** 20,
      f1.pull / 2 ** 20,
      name,
      '(info)',
      2,
    ),
  ];
}

/**
 * Format 1's figures for a history, computed: a round writes one whole
 * version file instead of format 2's file (the rest of what it sends
 * measured in format 2's plain rounds), lists every version in `v/` and
 * every segment ever written in `log/` (each listed entry's bytes measured
 * on the planted remote), and the remote keeps every version and segment.
 */
export function format1Figures(run: HistoryRun) {
  const { listings, format1 } = run;
  const plain = run.cycle.filter((round) => !round.checkpoint);
  const perEntry = (listings.log - listings.empty) / Math.max(1, listings.logEntries);
  const logListing = (segments: number) => listings.empty + segments * perEntry;
  const sent =
    median(plain.map((round) => round.bytesUp - round.fileBytes)) + format1.lastVersionBytes;
  const received =
    median(plain.map((round) => round.bytesDown - logListing(round.listed))) +
    listings.versions +
    logListing(format1.segments);
  // The pull's other answers (probe, headers, removal) as format 2 measured them; its files and listings as format 1's.
  const pullRest = run.pull.bytesDown - run.chainAtJoin - logListing(listings.logEntries);
  const claims = format1.versions * 90;
  return {
    sent,
    received,
    stored: format1.versionBytes + format1.segmentBytes + claims,
    pull: pullRest + listings.versions + logListing(format1.segments) + format1.lastVersionBytes,
  };
}
