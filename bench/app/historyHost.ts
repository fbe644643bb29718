/// <reference lib="webworker" />
import { createActorHost, type ActorHost } from '../../src/sw.ts';
import { benchCommands } from './benchCommands.ts';

declare const self: ServiceWorkerGlobalScope;

/** The host of the history benchmark (`/hist/actors/`), and its controls. */
export interface HistoryHost {
  host: ActorHost;
  /** Answers `/bench/hist-*`; undefined for any other route. */
  answer(route: string | undefined, request: Request): Promise<Response> | undefined;
}

/**
 * A synced host whose remote is shut while the benchmark fills a round: its
 * `fetch` answers 403 without reaching the remote, which stops an attempt at
 * its first request, with no backoff to wait out. Every accepted message
 * triggers a sync, so without the shutter ten messages would go in two or
 * three rounds; with it, `hist-round` opens the remote for exactly one
 * round that carries them all.
 */
export function createHistoryHost(remote: string): HistoryHost {
  let shut = true;
  const host = createActorHost({
    commands: benchCommands,
    scope: '/hist/actors/',
    dbName: 'actordav-hist',
    remote: {
      url: remote,
      fetch: (input, init) =>
        shut ? Promise.resolve(new Response(null, { status: 403 })) : fetch(input, init),
    },
    confirmTimeoutMs: 0,
  });
  const open = async (work: () => Promise<unknown>) => {
    shut = false;
    const start = performance.now();
    try {
      await work();
    } finally {
      shut = true;
    }
    return Response.json({ ms: performance.now() - start });
  };
  // A read of an actor this device does not know starts its first pull; the event keeps it.
  const pull = async (actorId: string) => {
    const kept: Promise<unknown>[] = [];
    const event = Object.assign(new Event('fetch'), {
      waitUntil: (work: Promise<unknown>) => void kept.push(work),
    });
    const url = new URL(`/hist/actors/${encodeURIComponent(actorId)}/status`, self.location.href);
    await host.handle(new Request(url), event);
    await Promise.all(kept);
  };
  return {
    host,
    answer(route, request) {
      switch (route) {
        case 'hist-settle':
          // Every attempt the round's messages triggered ends at the shut remote; then the actor rests.
          return host.sync().then(() => Response.json({}));
        case 'hist-round':
          return open(() => host.sync());
        case 'hist-pull':
          return request
            .json()
            .then(({ actorId }: { actorId: string }) => open(() => pull(actorId)));
        default:
          return undefined;
      }
    },
  };
}
