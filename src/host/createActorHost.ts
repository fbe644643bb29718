import { ActorLocks } from '../mailbox/ActorLocks.ts';
import { Mailbox } from '../mailbox/Mailbox.ts';
import { sweepExpiredReceipts } from '../store/receipts.ts';
import { SyncEngine } from '../sync/SyncEngine.ts';
import type { SyncTrigger } from '../sync/SyncScheduler.ts';
import { acceptBatch } from './acceptBatch.ts';
import { handleRequest, type RequestHost } from './handleRequest.ts';
import { hostStore } from './hostStore.ts';
import { ReceiptLookups } from './ReceiptLookups.ts';
import { normalizeOptions, type ActorHostOptions } from './options.ts';
import { tabEvents } from './tabEvents.ts';
import { warnFirstErrors } from './warnFirstErrors.ts';
import { workerScope, type ExtendableEventLike, type KeepAlive } from './workerScope.ts';

/**
 * A running actor host: `listen()`, answer requests yourself (`matches` and `handle`), or
 * register Workbox routes built from it (`actordav/workbox`).
 */
export interface ActorHost {
  /** True for a URL on the worker's origin under the host's scope. */
  matches(url: URL): boolean;
  /** Answers one request under the scope; background work is handed to `event.waitUntil`. */
  handle(request: Request, event?: ExtendableEventLike): Promise<Response>;
  /**
   * Adds the worker's listeners: `fetch` for the scope (anything else goes on
   * to the network), `activate` (which claims the open pages, as
   * `registerActors()` waits for control), and those of `listenForSync`.
   */
  listen(): void;
  /**
   * With a remote, the sync triggers besides accepted messages: this worker's
   * start, Background Sync (`sync`), and `message` (`{type: 'actordav:sync'}`
   * from a page; with `urgent: true`, a page that came online, it may cut a
   * backoff short). `listen()` calls it; call it yourself when you route
   * requests another way (Workbox routes from `actordav/workbox`).
   */
  listenForSync(): void;
  /**
   * Syncs every known actor now, even out of a backoff at most once per 5 s
   * (no-op without a remote); resolves when the rounds rest.
   */
  sync(): Promise<void>;
  /** Deletes expired final receipts now; resolves to how many. */
  sweep(): Promise<number>;
}

/** The Background Sync tag the host registers and answers. */
export const syncTag = 'actordav';

/**
 * How long this worker keeps an idle actor's lock: long enough to span the
 * gaps of a busy actor (50 actors at 500 messages/s come back every 100 ms),
 * short enough that a new worker version waits unnoticed.
 */
export const lockLeaseMs = 100;

/**
 * Creates the actor host of a service worker ([architecture](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md), [protocol](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md)).
 *
 * @example
 * ```ts
 * import { createActorHost } from 'actordav/sw';
 *
 * const host = createActorHost({
 *   remote: { url: 'https://dav.example.org/actors/', headers: { authorization: 'Bearer …' } },
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
  const { db, deviceId, reads, writes } = hostStore(config.dbName);
  const locks = new ActorLocks(lockLeaseMs);
  const emit = warnFirstErrors(tabEvents());
  const turn = { config, deviceId, reads, writes, emit };
  const sync =
    config.remote === undefined
      ? undefined
      : new SyncEngine({ config, db, deviceId, locks, emit }, config.remote, () => {
          // Where the browser has Background Sync, it wakes the worker to retry even with no page open;
          // once per failure streak, as Chromium fires it at once and it waits for the backoff anyway.
          void workerScope()
            .registration?.sync?.register(syncTag)
            .catch(() => undefined);
        });
  const requests: RequestHost = {
    config,
    db,
    lookups: new ReceiptLookups(reads, locks),
    mailbox: new Mailbox((actorId, batch) => acceptBatch(turn, actorId, batch), locks, {
      onDuplicateInFlight: config.onDuplicateInFlight,
      maxQueuedPerActor: config.maxPendingPerActor,
    }),
    sync,
  };
  let lastSweep = 0;
  const sweep = async () => sweepExpiredReceipts(await db(), Date.now());
  // Often enough that a receipt outlives its TTL by at most one interval, and at most once a minute.
  const sweepInterval = Math.min(config.receiptTtlMs, 60_000);
  const sweepSoon = (keepAlive: KeepAlive) => {
    if (Date.now() - lastSweep < sweepInterval) return;
    lastSweep = Date.now();
    keepAlive(sweep().catch((error: unknown) => console.warn('actordav: sweep failed', error)));
  };
  const syncAll = async (trigger: SyncTrigger) => sync?.requestAll(trigger);
  const matches = (url: URL) =>
    url.origin === workerScope().location.origin && url.pathname.startsWith(config.scope);
  const handle = async (request: Request, event?: ExtendableEventLike) => {
    const keepAlive: KeepAlive = (work) => event?.waitUntil(work.catch(() => undefined));
    const response = await handleRequest(requests, request, keepAlive);
    sweepSoon(keepAlive);
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
      scope.addEventListener('activate', (event) => {
        // Control the pages open now, so a first load's registerActors() resolves without a reload.
        event.waitUntil(scope.clients.claim());
        sweepSoon((work) => event.waitUntil(work));
      });
      this.listenForSync();
    },
    listenForSync() {
      if (sync === undefined) return;
      const scope = workerScope();
      // A worker start is a sync trigger: the first event to arrive keeps that round alive.
      let startup: Promise<void> | undefined = syncAll('start');
      const keepStartup = (event: ExtendableEventLike) => {
        if (startup !== undefined) event.waitUntil(startup.catch(() => undefined));
        startup = undefined;
      };
      // Not `activate`: a new version would stay activating, and the pages waiting for it, until the remote answers.
      scope.addEventListener('fetch', keepStartup);
      scope.addEventListener('sync', (event) => {
        if (event.tag === syncTag) event.waitUntil(syncAll('background'));
      });
      scope.addEventListener('message', (event) => {
        const data = event.data as { type?: unknown; urgent?: unknown } | null;
        if (data?.type !== 'actordav:sync') return;
        event.waitUntil(syncAll(data.urgent === true ? 'urgent' : 'nudge'));
      });
    },
    sync: () => syncAll('urgent'),
    sweep,
  };
}
