import type { Commands } from '../../src/sw.ts';

/** The one command the benchmarks send: cheap, so the figures measure the host, not the command. */
export const benchCommands: Commands = {
  add: (state: { total?: number }, { amount }: { amount: number }) => {
    const total = (state.total ?? 0) + amount;
    return { state: { ...state, total }, result: { total } };
  },
};
