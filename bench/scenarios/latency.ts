import type { RequestSpec } from '../app/benchApi.ts';
import type { BenchSize } from '../benchSize.ts';
import type { PageSession } from '../server/rpcSessions.ts';
import { checkStatuses } from './checkStatuses.ts';

/** Per-request milliseconds of one repetition. */
export interface LatencyRun {
  accept: number[];
  /** Echo plus one strict IndexedDB put, from the worker. */
  acceptFloor: number[];
  /** Echo plus one get and then one strict put: the least a new key needs (is it new? store it). */
  acceptReadFloor: number[];
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
  const acceptReadFloor: RequestSpec = {
    method: 'POST',
    path: '/bench/echo-get-put?k=k{i}',
    body,
  };
  const replayFloor: RequestSpec = { method: 'POST', path: '/bench/echo-get?k=k{i}', body };
  const run: LatencyRun = {
    accept: [],
    acceptFloor: [],
    acceptReadFloor: [],
    replay: [],
    replayFloor: [],
  };
  const total = size.warmUp + size.latencyRequests;

  const series = async (spec: RequestSpec, into: number[] | undefined, from: number, n: number) => {
    const { times, statuses } = await page.call('sequential', spec, from, n);
    into?.push(...times);
    return statuses;
  };
  /** Each spec's series in chunks, in turn, starting one further along each chunk, so drift hurts none. */
  const rounds = async (specs: RequestSpec[], into: number[][]) => {
    for (const spec of specs) await series(spec, undefined, 0, size.warmUp);
    const seen = specs.map((): Record<string, number> => ({}));
    for (let from = size.warmUp, turn = rep; from < total; from += chunk, turn++) {
      const n = Math.min(chunk, total - from);
      for (let step = 0; step < specs.length; step++) {
        const index = (turn + step) % specs.length;
        const statuses = await series(specs[index] as RequestSpec, into[index], from, n);
        const counts = seen[index] as Record<string, number>;
        for (const [status, count] of Object.entries(statuses)) {
          counts[status] = (counts[status] ?? 0) + count;
        }
      }
    }
    return seen;
  };

  const [accepted = {}, put = {}, getPut = {}] = await rounds(
    [accept, acceptFloor, acceptReadFloor],
    [run.accept, run.acceptFloor, run.acceptReadFloor],
  );
  checkStatuses('accept', accepted, { '200': size.latencyRequests });
  checkStatuses('echo + strict put', put, { '200': size.latencyRequests });
  checkStatuses('echo + get + strict put', getPut, { '200': size.latencyRequests });
  const [replayed = {}, got = {}] = await rounds(
    [accept, replayFloor],
    [run.replay, run.replayFloor],
  );
  checkStatuses('replay', replayed, { '200 replayed': size.latencyRequests });
  checkStatuses('echo + get', got, { '200': size.latencyRequests });
  return run;
}
