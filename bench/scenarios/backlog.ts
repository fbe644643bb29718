import { setTimeout as sleep } from 'node:timers/promises';
import type { BenchSize } from '../benchSize.ts';
import type { CountingProxy, RemoteCounts } from '../server/countingProxy.ts';
import type { PageSession } from '../server/rpcSessions.ts';
import { alternate, checkStatuses } from './checkStatuses.ts';

/** One side of the backlog benchmark. */
export interface DrainRun {
  /**
   * Building the backlog while the remote was unreachable (not a target): actordav accepting
   * every message through the page; Workbox's queue filled inside the worker.
   */
  offlineMs: number;
  /** From the remote coming back (and the worker told so) to everything on it. */
  drainMs: number;
  /** What reached the remote during the drain. */
  counts: RemoteCounts;
}

export interface BacklogRun {
  actordav: DrainRun;
  workbox: DrainRun;
}

/** The remote as the worker sees it (through the counting proxy) and as the harness reaches it directly. */
export interface BacklogRemote {
  proxy: CountingProxy;
  directUrl: string;
}

const settleMs = 1000;

/**
 * An offline backlog of `backlogMessages` tasks over `backlogActors` actors,
 * accepted while the remote is unreachable, then drained once it is back:
 * by actordav's sync engine, and by a workbox-background-sync Queue replaying
 * the same requests as PUTs to the same server.
 */
export async function measureBacklog(
  page: PageSession,
  size: BenchSize,
  remote: BacklogRemote,
  rep: number,
  log: (message: string) => void = () => {},
): Promise<BacklogRun> {
  const n = size.backlogMessages;
  const body = '{"n":{i},"drink":"mocha"}';
  const actordav = async (): Promise<DrainRun> =>
    drain(
      remote.proxy,
      async () => {
        const { ms, statuses } = await page.call(
          'concurrent',
          {
            method: 'PUT',
            path: `/sync/actors/backlog-${rep}-{a}/tasks`,
            key: 'm{i}',
            body,
            actors: size.backlogActors,
          },
          n,
          size.concurrency,
        );
        checkStatuses('offline accept', statuses, { '202': n });
        return ms;
      },
      async () => {
        const { ms } = (await page.call('control', '/bench/dav-drain')) as { ms: number };
        const paths = Array.from(
          { length: size.backlogActors },
          (_, a) => `/sync/actors/backlog-${rep}-${a}/status`,
        );
        const statuses = (await page.call('read', paths)) as { pending: number; version: number }[];
        const left = statuses.reduce((sum, status) => sum + status.pending, 0);
        if (left > 0 || statuses.some((status) => status.version < 1)) {
          throw new Error(`actordav drain left ${left} pending: ${JSON.stringify(statuses)}`);
        }
        return ms;
      },
    );
  const workbox = async (): Promise<DrainRun> => {
    // Workbox PUTs into a collection it does not create; made beforehand, outside the count.
    await fetch(`${remote.directUrl}wb/`, { method: 'MKCOL' });
    return drain(
      remote.proxy,
      async () => {
        const { ms } = (await page.call('control', '/bench/wb-fill', {
          count: n,
          actors: size.backlogActors,
          prefix: `backlog-${rep}`,
        })) as { ms: number };
        return ms;
      },
      async () => {
        const { ms, left } = (await page.call('control', '/bench/wb-drain')) as {
          ms: number;
          left: number;
        };
        const stored = remote.proxy.counts.byAnswer['PUT 201'] ?? 0;
        if (left > 0 || stored !== n) {
          throw new Error(`Workbox drain left ${left} queued, ${stored} of ${n} stored`);
        }
        return ms;
      },
    );
  };
  const report = (name: string, run: DrainRun) => {
    log(
      `${name}: offline ${(run.offlineMs / 1000).toFixed(1)} s, drain ${(run.drainMs / 1000).toFixed(1)} s, ` +
        `remote ${JSON.stringify(run.counts.byMethod)}`,
    );
    return run;
  };
  const [dav, wb] = await alternate(
    rep,
    async () => report('actordav', await actordav()),
    async () => report('workbox', await workbox()),
  );
  return { actordav: dav, workbox: wb };
}

async function drain(
  proxy: CountingProxy,
  offline: () => Promise<number>,
  online: () => Promise<number>,
): Promise<DrainRun> {
  proxy.setUp(false);
  const offlineMs = await offline();
  // Let retries that were under way fail and back off, as they would while offline.
  await sleep(settleMs);
  proxy.reset();
  proxy.setUp(true);
  const drainMs = await online();
  return { offlineMs, drainMs, counts: structuredClone(proxy.counts) };
}
