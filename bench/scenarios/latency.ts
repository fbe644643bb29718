import type { RequestSpec } from '../app/benchApi.ts';
import type { BenchSize } from '../benchSize.ts';
import type { PageSession } from '../server/rpcSessions.ts';
import { alternate, checkStatuses } from './checkStatuses.ts';

/** Per-request milliseconds of one repetition. */
export interface LatencyRun {
  accept: number[];
  /** Echo plus one strict IndexedDB put, from the worker. */
  acceptFloor: number[];
  replay: number[];
  /** Echo plus one IndexedDB get. */
  replayFloor: number[];
}

const body = '{"type":"add","amount":1}';
const chunk = 50;

/**
 * Sequential requests, one at a time: a new key (accepted, committed in a
 * strict transaction, answered 200) and the same keys again (replayed), each
 * against its floor, in alternating chunks.
 */
export async function measureLatency(
  page: PageSession,
  size: BenchSize,
  rep: number,
): Promise<LatencyRun> {
  const accept: RequestSpec = {
    method: 'POST',
    path: `/actors/latency-${rep}/execute`,
    key: 'k{i}',
    body,
  };
  const acceptFloor: RequestSpec = { method: 'POST', path: '/bench/echo-put?k=k{i}', body };
  const replayFloor: RequestSpec = { method: 'POST', path: '/bench/echo-get?k=k{i}', body };
  const run: LatencyRun = { accept: [], acceptFloor: [], replay: [], replayFloor: [] };
  const total = size.warmUp + size.latencyRequests;

  const series = async (spec: RequestSpec, into: number[] | undefined, from: number, n: number) => {
    const { times, statuses } = await page.call('sequential', spec, from, n);
    into?.push(...times);
    return statuses;
  };
  const pairs = async (a: RequestSpec, b: RequestSpec, intoA: number[], intoB: number[]) => {
    await series(a, undefined, 0, size.warmUp);
    await series(b, undefined, 0, size.warmUp);
    const seen = [{}, {}] as [Record<string, number>, Record<string, number>];
    for (let from = size.warmUp, turn = rep; from < total; from += chunk, turn++) {
      const n = Math.min(chunk, total - from);
      const [sa, sb] = await alternate(
        turn,
        () => series(a, intoA, from, n),
        () => series(b, intoB, from, n),
      );
      for (const [index, statuses] of [sa, sb].entries()) {
        for (const [status, count] of Object.entries(statuses)) {
          seen[index as 0 | 1][status] = (seen[index as 0 | 1][status] ?? 0) + count;
        }
      }
    }
    return seen;
  };

  const [accepted, put] = await pairs(accept, acceptFloor, run.accept, run.acceptFloor);
  checkStatuses('accept', accepted, { '200': size.latencyRequests });
  checkStatuses('echo + strict put', put, { '200': size.latencyRequests });
  const [replayed, got] = await pairs(accept, replayFloor, run.replay, run.replayFloor);
  checkStatuses('replay', replayed, { '200 replayed': size.latencyRequests });
  checkStatuses('echo + get', got, { '200': size.latencyRequests });
  return run;
}
