import type { Commands } from '../actor/command.ts';
import type { ActorEvent } from '../events/actorEvent.ts';
import type { ActorResult } from './ActorResult.ts';
import type { ActorReceipt } from './ActorViews.ts';
import { checkActorId } from './actorId.ts';
import { ClientCore } from './ClientCore.ts';
import { normalizeClientOptions, type ActorClientOptions } from './clientOptions.ts';
import { createActorHandle, type ActorHandle } from './createActorHandle.ts';
import { isActorHttpError } from './errors/ActorHttpError.ts';
import { EventHub, type ActorEventListener } from './EventHub.ts';
import { OperationStore, type StoredOperation } from './OperationStore.ts';
import type { PendingActor, PendingOperation } from './PendingOperation.ts';

/** What `resume()` did with one stored operation. */
export interface ResumedOperation {
  operation: PendingOperation;
  outcome: PromiseSettledResult<ActorResult>;
}

/** The page's side of actordav; `C` is the worker's `typeof commands` when given. */
export interface ActorClient<C extends Commands = Commands> {
  /** A handle on one actor (the id is checked as the worker checks it: TypeError if invalid). */
  actor(id: string): ActorHandle<C>;
  /**
   * Hears every receipt (`pending` on acceptance, `done`/`failed` on
   * confirmation) and sync round the worker broadcasts, from every tab's
   * requests. Returns the unsubscribe function.
   */
  subscribe(listener: ActorEventListener): () => void;
  /**
   * What is not confirmed yet, per actor: the worker's own count (`GET
   * status`) and, by key, the operations this origin's clients stored or
   * heard of as pending — each checked against its receipt now.
   * Without `actorId`: every actor with a stored operation or a pending event.
   */
  pending(actorId?: string): Promise<PendingActor[]>;
  /**
   * Sends every stored operation again under its own key — the way to
   * finish calls a reload interrupted. The worker answers from its receipt
   * where it has one, so nothing takes effect twice.
   */
  resume(): Promise<ResumedOperation[]>;
  /**
   * Asks the controlling worker to sync now (`{type: 'actordav:sync', urgent: true}`): it starts
   * an attempt at once even while it backs off from a failing remote, at most once per 5 s; false
   * if no worker controls the page.
   */
  syncNow(): boolean;
  /** Stops listening (BroadcastChannel, `online`). Calls in flight go on. */
  close(): void;
}

/**
 * Creates the page's client of an actordav worker: actor handles that send
 * with an Idempotency-Key and retry under it, live events, and the work
 * that is not confirmed yet. It listens (BroadcastChannel, and `online` to
 * ask the worker for a sync) until `close()`.
 *
 * Pass the worker's commands as a type, `createActorClient<typeof commands>()`, and `execute`
 * checks each command's name and payload at compile time and types its `result` (declare the
 * commands with `satisfies Commands`, so their names survive; import them with `import type`,
 * so no worker code reaches the page).
 *
 * @example
 * ```ts
 * import { createActorClient, registerActors } from 'actordav/client';
 *
 * await registerActors('/sw.js');
 * const client = createActorClient();
 * await client.resume(); // finish what a reload interrupted
 * const order = await client.actor('ada').send({ drink: 'flat white' });
 * console.log(order.status); // 'done', or 'pending' until the remote confirms
 * const stop = client.subscribe((event) => console.log(event));
 * ```
 */
export function createActorClient<C extends Commands = Commands>(
  options: ActorClientOptions = {},
): ActorClient<C> {
  const config = normalizeClientOptions(options);
  const store = new OperationStore(config.storage, config.scope);
  const core = new ClientCore(config, store);
  // Keys heard of as pending, per actor: the worker lists counts, not keys.
  const heard = new Map<string, Set<string>>();
  // Unconfirmed messages per actor, as the worker's sync events last counted them.
  const unconfirmed = new Map<string, number>();
  const hub = new EventHub((event: ActorEvent) => {
    if (event.type === 'sync') {
      unconfirmed.set(event.actorId, event.pending);
      return;
    }
    const keys = heard.get(event.actorId) ?? new Set<string>();
    if (event.status === 'pending') {
      heard.set(event.actorId, keys.add(event.key));
    } else {
      keys.delete(event.key);
      store.remove(event.actorId, event.key);
    }
  });

  // Urgent (online, an explicit syncNow) may cut the worker's backoff short, at most once per 5 s;
  // the periodic nudge waits for the backoff like any other trigger.
  const postSync = (urgent: boolean) => {
    const controller = (globalThis.navigator as Navigator | undefined)?.serviceWorker?.controller;
    if (controller == null) return false;
    controller.postMessage({ type: 'actordav:sync', urgent });
    return true;
  };
  const syncNow = () => postSync(true);
  const onOnline = () => void syncNow();
  const listens = config.syncOnOnline && typeof globalThis.addEventListener === 'function';
  if (listens) globalThis.addEventListener('online', onOnline);
  const hasPending = () =>
    store.list().length > 0 ||
    [...heard.values()].some((keys) => keys.size > 0) ||
    [...unconfirmed.values()].some((count) => count > 0);
  const nudger =
    config.syncIntervalMs === 0
      ? undefined
      : setInterval(() => {
          if (hasPending()) postSync(false);
        }, config.syncIntervalMs);

  const receiptOf = async (actorId: string, key: string) => {
    try {
      return await createActorHandle(core, actorId).receipt(key);
    } catch (error) {
      if (isActorHttpError(error) && error.status === 404) return undefined;
      throw error;
    }
  };

  const pendingOf = async (actorId: string): Promise<PendingActor> => {
    const handle = createActorHandle(core, actorId);
    const stored = store.list(actorId);
    const storedKeys = new Set(stored.map((operation) => operation.key));
    const heardKeys = [...(heard.get(actorId) ?? [])].filter((key) => !storedKeys.has(key));
    const [status, storedViews, heardViews] = await Promise.all([
      handle.status(),
      Promise.all(stored.map((operation) => check(operation, actorId, operation.key))),
      Promise.all(heardKeys.map((key) => check(undefined, actorId, key))),
    ]);
    return {
      actorId,
      unconfirmed: status.pending,
      operations: [...storedViews, ...heardViews].filter((view) => view !== undefined),
      syncing: status.syncing,
      lastError: status.lastError,
    };
  };

  // Classifies one key by its receipt, and forgets it once final.
  const check = async (
    operation: StoredOperation | undefined,
    actorId: string,
    key: string,
  ): Promise<PendingOperation | undefined> => {
    const receipt: ActorReceipt | undefined = await receiptOf(actorId, key);
    if (receipt === undefined) {
      // Stored but unknown to the worker: not accepted yet (or its storage was wiped).
      return operation === undefined ? undefined : view(operation, 'unsent');
    }
    if (receipt.status === 'pending') {
      return operation === undefined
        ? { actorId, key, stage: 'unconfirmed', since: receipt.createdAt }
        : view(operation, 'unconfirmed', receipt.createdAt);
    }
    heard.get(actorId)?.delete(key);
    // A call of this instance still running will read the final answer itself.
    if (!core.inFlight.has(`${actorId}\n${key}`)) store.remove(actorId, key);
    return undefined;
  };

  return {
    actor: (id) => createActorHandle<C>(core, id),
    subscribe: (listener) => hub.subscribe(listener),
    async pending(actorId) {
      if (actorId !== undefined) checkActorId(actorId);
      const ids =
        actorId !== undefined
          ? [actorId]
          : [...new Set([...store.list().map((operation) => operation.actorId), ...heard.keys()])];
      return Promise.all(ids.map(pendingOf));
    },
    async resume() {
      const waiting = store
        .list()
        .filter((operation) => !core.inFlight.has(`${operation.actorId}\n${operation.key}`));
      return Promise.all(
        waiting.map(async (operation) => ({
          operation: view(operation, operation.stage === 'accepted' ? 'unconfirmed' : 'unsent'),
          outcome: await core.deliver(operation).then(
            (value): PromiseSettledResult<ActorResult> => ({ status: 'fulfilled', value }),
            (reason: unknown): PromiseSettledResult<ActorResult> => ({
              status: 'rejected',
              reason,
            }),
          ),
        })),
      );
    },
    syncNow,
    close() {
      hub.close();
      if (listens) globalThis.removeEventListener('online', onOnline);
      clearInterval(nudger);
    },
  };
}

function view(
  operation: StoredOperation,
  stage: PendingOperation['stage'],
  since = new Date(operation.createdAt).toISOString(),
): PendingOperation {
  return {
    actorId: operation.actorId,
    key: operation.key,
    stage,
    ...(operation.intent === undefined ? {} : { intent: operation.intent }),
    method: operation.method,
    path: operation.path,
    since,
  };
}
