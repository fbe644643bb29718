/** How big a run is: `BENCH_SIZE=ci` proves the harness in well under a minute; the default measures. */
export interface BenchSize {
  readonly name: 'default' | 'ci';
  /** Fresh browsers (and fresh profiles) per figure; each figure is the median over them. */
  readonly repetitions: number;
  /** Requests per latency series (each side), after `warmUp` unrecorded ones. */
  readonly latencyRequests: number;
  readonly warmUp: number;
  /** Messages per throughput measurement (each side). */
  readonly throughputMessages: number;
  readonly concurrency: number;
  readonly manyActors: number;
  /** The offline backlog: messages over actors. */
  readonly backlogMessages: number;
  readonly backlogActors: number;
  /** Receipts stored in the small and the large lookup database, and lookups per series. */
  readonly lookupSmall: { actors: number; perActor: number };
  readonly lookupLarge: { actors: number; perActor: number };
  readonly lookups: number;
  /**
   * Messages of history of the actor a new device joins (the `history` scenario), smallest first:
   * every larger one is compared with the smallest. One browser each, one whole checkpoint cycle.
   */
  readonly histories: readonly number[];
}

const sizes: Record<BenchSize['name'], BenchSize> = {
  default: {
    name: 'default',
    repetitions: 5,
    latencyRequests: 400,
    warmUp: 40,
    throughputMessages: 1500,
    concurrency: 64,
    manyActors: 50,
    backlogMessages: 5000,
    backlogActors: 50,
    lookupSmall: { actors: 10, perActor: 100 },
    lookupLarge: { actors: 100, perActor: 1000 },
    lookups: 400,
    histories: [1000, 10_000, 100_000],
  },
  ci: {
    name: 'ci',
    repetitions: 2,
    latencyRequests: 40,
    warmUp: 10,
    throughputMessages: 200,
    concurrency: 64,
    manyActors: 50,
    backlogMessages: 200,
    backlogActors: 10,
    lookupSmall: { actors: 10, perActor: 10 },
    lookupLarge: { actors: 10, perActor: 200 },
    lookups: 40,
    histories: [1000, 2000],
  },
};

/**
 * The size named by `BENCH_SIZE` (default `default`); `BENCH_REPS` overrides its repetitions and
 * `BENCH_HISTORIES` (a comma list of message counts) its histories.
 */
export function benchSize(): BenchSize {
  const size = namedSize();
  const histories = process.env['BENCH_HISTORIES'];
  if (histories === undefined || histories === '') return size;
  const counts = histories.split(',').map(Number);
  if (counts.some((count) => !Number.isSafeInteger(count / 10) || count < 100)) {
    throw new RangeError(`BENCH_HISTORIES must list multiples of 10 from 100, got ${histories}`);
  }
  return { ...size, histories: counts };
}

function namedSize(): BenchSize {
  const name = process.env['BENCH_SIZE'] ?? 'default';
  if (name !== 'default' && name !== 'ci') {
    throw new RangeError(`BENCH_SIZE must be "default" or "ci", got ${JSON.stringify(name)}`);
  }
  const reps = process.env['BENCH_REPS'];
  if (reps === undefined || reps === '') return sizes[name];
  const repetitions = Number(reps);
  if (!Number.isSafeInteger(repetitions) || repetitions < 1) {
    throw new RangeError(`BENCH_REPS must be a positive integer, got ${JSON.stringify(reps)}`);
  }
  return { ...sizes[name], repetitions };
}
