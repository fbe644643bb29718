import type { RequestSpec } from '../app/benchApi.ts';
import type { BenchSize } from '../benchSize.ts';
import type { PageSession } from '../server/rpcSessions.ts';
import { alternate, checkStatuses } from './checkStatuses.ts';

/** Messages per second of one repetition, each next to the echo measured beside it. */
export interface ThroughputRun {
  oneActor: number;
  oneActorEcho: number;
  manyActors: number;
  manyActorsEcho: number;
}

const body = '{"type":"add","amount":1}';
const echo: RequestSpec = { method: 'POST', path: '/bench/echo', body };

/** `concurrency` senders, each sending its next message as soon as one is answered. */
export async function measureThroughput(
  page: PageSession,
  size: BenchSize,
  rep: number,
): Promise<ThroughputRun> {
  const n = size.throughputMessages;
  const rate = async (spec: RequestSpec, label: string, count = n) => {
    const { ms, statuses } = await page.call('concurrent', spec, count, size.concurrency);
    checkStatuses(label, statuses, { '200': count });
    return (count / ms) * 1000;
  };
  const actors = (count: number, label: string): RequestSpec => ({
    method: 'POST',
    path: `/actors/${label}-${rep}-{a}/execute`,
    key: 'k{i}',
    body,
    actors: count,
  });
  // Warm up both paths (JIT, database, lock names) before anything is recorded.
  const warmUp = Math.min(n, 300);
  await rate(actors(size.manyActors, 'warm'), 'warm-up', warmUp);
  await rate(echo, 'warm-up echo', warmUp);
  const [oneActor, oneActorEcho] = await alternate(
    rep,
    () => rate(actors(1, 'one'), 'one actor'),
    () => rate(echo, 'echo'),
  );
  const [manyActors, manyActorsEcho] = await alternate(
    rep + 1,
    () => rate(actors(size.manyActors, 'many'), `${size.manyActors} actors`),
    () => rate(echo, 'echo'),
  );
  return { oneActor, oneActorEcho, manyActors, manyActorsEcho };
}
