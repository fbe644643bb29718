import type { RequestSpec } from '../app/benchApi.ts';
import type { BenchSize } from '../benchSize.ts';
import type { PageSession } from '../server/rpcSessions.ts';
import { alternate, checkStatuses } from './checkStatuses.ts';

/** Per-lookup milliseconds with a small and a large receipts store. */
export interface LookupRun {
  small: number[];
  large: number[];
}

const stores = [
  { scope: 'l1k', dbName: 'actordav-l1k', which: 'lookupSmall' },
  { scope: 'l100k', dbName: 'actordav-l100k', which: 'lookupLarge' },
] as const;

/**
 * Fills the two lookup hosts' databases once (the profile is kept across
 * repetitions): one real receipt per host, cloned `actors × perActor` times.
 */
export async function fillLookupStores(page: PageSession, size: BenchSize): Promise<number[]> {
  const took: number[] = [];
  for (const { scope, dbName, which } of stores) {
    const { actors, perActor } = size[which];
    const seed: RequestSpec = {
      method: 'PUT',
      path: `/${scope}/actors/seed/tasks`,
      key: 'seed',
      body: '{"drink":"mocha"}',
    };
    checkStatuses('seed receipt', (await page.call('sequential', seed, 0, 1)).statuses, {
      '201': 1,
    });
    const { ms, stored } = (await page.call('control', '/bench/fill', {
      dbName,
      seedActor: 'seed',
      seedKey: 'seed',
      actors,
      perActor,
    })) as { ms: number; stored: number };
    if (stored !== actors * perActor) throw new Error(`stored ${stored} receipts in ${dbName}`);
    took.push(ms);
  }
  return took;
}

/** `GET {scope}r{a}/tasks/k{p}`: a spread of stored receipts, the same in every run. */
export async function measureLookup(
  page: PageSession,
  size: BenchSize,
  rep: number,
): Promise<LookupRun> {
  const spec = (index: 0 | 1): RequestSpec => {
    const { scope, which } = stores[index];
    return {
      method: 'GET',
      path: `/${scope}/actors/r{a}/tasks/k{p}`,
      actors: size[which].actors,
      pick: size[which].perActor,
    };
  };
  const run: LookupRun = { small: [], large: [] };
  const series = async (index: 0 | 1, into: number[] | undefined, from: number, n: number) => {
    const { times, statuses } = await page.call('sequential', spec(index), from, n);
    checkStatuses('receipt lookup', statuses, { '200': n });
    into?.push(...times);
  };
  await series(0, undefined, 0, 20);
  await series(1, undefined, 0, 20);
  const chunk = 50;
  for (let from = 1000, turn = rep; from < 1000 + size.lookups; from += chunk, turn++) {
    const n = Math.min(chunk, 1000 + size.lookups - from);
    await alternate(
      turn,
      () => series(0, run.small, from, n),
      () => series(1, run.large, from, n),
    );
  }
  return run;
}
