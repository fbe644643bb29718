import type { SendReport } from './pageClient.ts';

/** Per device: what each send produced. */
export interface Tally {
  sends: number;
  /** Answers by status (201, 200, 202; anything else is a bug). */
  readonly answers: Map<number, number>;
  replayed: number;
  /** Retries inside the page, by cause (`network`, `503`, …). */
  readonly retried: Map<string, number>;
  gaveUp: number;
  /** Non-replayed answers per key: more than one is a second effect seen locally. */
  readonly fresh: Map<string, number>;
  /** Keys with at least one accepted answer. */
  readonly accepted: Set<string>;
  readonly unexpected: string[];
}

export const newTally = (): Tally => ({
  sends: 0,
  answers: new Map(),
  replayed: 0,
  retried: new Map(),
  gaveUp: 0,
  fresh: new Map(),
  accepted: new Set(),
  unexpected: [],
});

/** The final status each kind of message answers with once confirmed (DESIGN.md §2). */
export const doneStatus = { task: 201, refund: 200 } as const;

/**
 * Adds one report to a device's tally. Returns false when the page gave up on the send (it
 * is still outstanding: the runner sends it again).
 */
export function tallyReport(tally: Tally, report: SendReport, kind: 'task' | 'refund'): boolean {
  for (const [why, times] of Object.entries(report.retried)) {
    tally.retried.set(why, (tally.retried.get(why) ?? 0) + times);
  }
  if (report.status === 0) {
    tally.gaveUp += 1;
    return false;
  }
  tally.answers.set(report.status, (tally.answers.get(report.status) ?? 0) + 1);
  if (report.status !== doneStatus[kind] && report.status !== 202) {
    tally.unexpected.push(`${report.actor}/${report.key}: ${report.status} ${report.text}`);
    return true;
  }
  if (report.bodyKey !== report.key) {
    tally.unexpected.push(`${report.actor}/${report.key}: body key ${String(report.bodyKey)}`);
  }
  const id = `${report.actor}/${report.key}`;
  tally.accepted.add(id);
  if (report.replayed) tally.replayed += 1;
  else tally.fresh.set(id, (tally.fresh.get(id) ?? 0) + 1);
  return true;
}

/** Sums a per-device map over every device. */
export function sumMaps<K>(maps: readonly ReadonlyMap<K, number>[]): Map<K, number> {
  const sum = new Map<K, number>();
  for (const map of maps) for (const [k, n] of map) sum.set(k, (sum.get(k) ?? 0) + n);
  return sum;
}
