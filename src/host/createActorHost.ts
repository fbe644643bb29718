import { Route } from 'workbox-routing';
import { Mailbox } from '../mailbox/Mailbox.ts';
import { sweepExpiredReceipts } from '../store/receipts.ts';
import { acceptBatch } from './acceptBatch.ts';
import { handleRequest } from './handleRequest.ts';
import { createHostContext } from './hostContext.ts';
import { normalizeOptions, type ActorHostOptions } from './options.ts';
import { workerScope, type ExtendableEventLike } from './workerScope.ts';

/** A running actor host: answer requests yourself, `listen()`, or register its Workbox routes. */
export interface ActorHost {
  /** True for a URL on the worker's origin under the host's scope. */
  matches(url: URL): boolean;
  /** Answers one request under the scope; background work is handed to `event.waitUntil`. */
  handle(request: Request, event?: ExtendableEventLike): Promise<Response>;
  /** Adds the worker's `fetch` (and `activate`) listeners; requests outside the scope go on to the network. */
  listen(): void;
  /** One Workbox route per method, for `routes.forEach((route) => registerRoute(route))`. */
  readonly routes: readonly Route[];
  /** Deletes expired final receipts now; resolves to how many. */
  sweep(): Promise<number>;
}

const methods = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH'] as const;

/**
 * Creates the actor host of a service worker (DESIGN.md §1–§4).
 *
 * @example
 * ```ts
 * import { createActorHost } from 'actordav/sw';
 *
 * const host = createActorHost({
 *   commands: {
 *     add: (state, { amount }: { amount: number }) => ({
 *       state: { ...state, total: Number(state.total ?? 0) + amount },
 *       result: { added: amount },
 *     }),
 *   },
 * });
 * host.listen();
 * ```
 */
export function createActorHost(options: ActorHostOptions = {}): ActorHost {
  const config = normalizeOptions(options);
  const context = createHostContext(config);
  const mailbox = new Mailbox((actorId, batch) => acceptBatch(context, actorId, batch), {
    onDuplicateInFlight: config.onDuplicateInFlight,
    maxQueuedPerActor: config.maxPendingPerActor,
  });
  let lastSweep = 0;
  const sweep = async () => sweepExpiredReceipts(await context.db(), Date.now());
  // Sweeping often enough that a receipt outlives its TTL by at most one interval, and at most once a minute.
  const sweepInterval = Math.min(config.receiptTtlMs, 60_000);
  const sweepSoon = (event?: ExtendableEventLike) => {
    if (Date.now() - lastSweep < sweepInterval) return;
    lastSweep = Date.now();
    const sweeping = sweep().catch((error: unknown) =>
      console.warn('actordav: sweep failed', error),
    );
    event?.waitUntil(sweeping);
  };
  const matches = (url: URL) =>
    url.origin === workerScope().location.origin && url.pathname.startsWith(config.scope);
  const handle = async (request: Request, event?: ExtendableEventLike) => {
    const response = await handleRequest(context, mailbox, request);
    sweepSoon(event);
    return response;
  };
  return {
    matches,
    handle,
    listen() {
      const scope = workerScope();
      scope.addEventListener('fetch', (event) => {
        if (matches(new URL(event.request.url))) event.respondWith(handle(event.request, event));
      });
      scope.addEventListener('activate', (event) => sweepSoon(event));
    },
    routes: methods.map(
      (method) =>
        new Route(
          ({ url }) => matches(url),
          ({ request, event }) => handle(request, event),
          method,
        ),
    ),
    sweep,
  };
}
