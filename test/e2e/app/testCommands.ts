import type { Commands } from '../../../src/sw.ts';

/** How often each command body really ran in this worker, per actor: what "one effect" is checked against. */
export const runs = new Map<string, number>();
let running = 0;

const count = (actorId: string, name: string) => {
  const id = `${actorId}/${name}`;
  runs.set(id, (runs.get(id) ?? 0) + 1);
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Commands for the tests. Unlike real commands, some keep worker-global
 * counters or sleep, so that the tests can see how often and how
 * concurrently the host runs them.
 */
export const testCommands: Commands = {
  // `ms` makes it take that long, so that a worker stop can land in the middle of it.
  add: async (
    state: { total?: number },
    { amount, ms }: { amount?: unknown; ms?: number },
    { actorId },
  ) => {
    count(actorId, 'add');
    if (typeof amount !== 'number') throw new Error('amount must be a number');
    if (ms !== undefined) await sleep(ms);
    const total = (state.total ?? 0) + amount;
    return { state: { ...state, total }, result: { total } };
  },
  fail: (_state, _payload, { actorId }) => {
    count(actorId, 'fail');
    throw new Error('the barista refuses');
  },
  // Records how many turns overlap and the order turns run in.
  probe: async (
    state: { order?: unknown[] },
    { n, ms }: { n?: unknown; ms?: number },
    { actorId },
  ) => {
    count(actorId, 'probe');
    running++;
    const overlap = running;
    await sleep(ms ?? 2);
    running--;
    return { state: { ...state, order: [...(state.order ?? []), n] }, result: { overlap } };
  },
  hang: () => new Promise(() => undefined),
};

/**
 * What the next release of the app adds (`sw-next.js`, with `commandsVersion` 1): a worker of
 * the current release lacks it, as in a rolling upgrade (DESIGN.md §6b).
 */
export const nextReleaseCommands: Commands = {
  ...testCommands,
  refund: (state: { total?: number }, { amount }: { amount?: unknown }) => {
    if (typeof amount !== 'number') throw new Error('amount must be a number');
    const total = (state.total ?? 0) - amount;
    return { state: { ...state, total }, result: { total } };
  },
};
