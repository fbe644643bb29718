import { sha256Hex } from '../crypto/sha256Hex.ts';
import type { Commands } from '../actor/command.ts';
import type { ActorResult } from './ActorResult.ts';
import type { ActorReceipt, ActorStatus, StateSnapshot } from './ActorViews.ts';
import { checkActorId } from './actorId.ts';
import type { ClientCore } from './ClientCore.ts';
import type { CommandName, IsUntyped, PayloadOf, ResultOf } from './commandTypes.ts';
import { keyHeader } from './keyHeader.ts';
import type { StoredOperation } from './OperationStore.ts';

/** A JSON object: what states are. */
export type JsonObject = Record<string, unknown>;

/** Options of every unsafe call. */
export interface SendOptions {
  /**
   * The Idempotency-Key to use. Default: the key of the same stored,
   * unfinished operation (see `intent`), else `crypto.randomUUID()`.
   */
  key?: string;
  /**
   * Your id for this operation ("checkout-cart-42"): the key is derived from
   * it, so every call with this intent on this actor — online or offline,
   * answered or not, in any tab, after a reload — is the same operation and
   * takes effect once (while the receipt is kept). A new operation needs a
   * new intent. Without one, an identical request (method, path, body,
   * If-Match) that got no answer yet reuses its key.
   */
  intent?: string;
  /** Stops waiting and retrying (the call may still have reached the worker; its key stays stored). */
  signal?: AbortSignal;
}

/** Options of `setState`. */
export interface SetStateOptions extends SendOptions {
  /** Replace the state only if its ETag is this one (from `state()`), else `412`. */
  ifMatch?: string;
}

/** The arguments after a command's name: its payload (optional when it needs none), then options. */
export type ExecuteArgs<F> =
  object extends PayloadOf<F>
    ? [payload?: PayloadOf<F>, options?: SendOptions]
    : [payload: PayloadOf<F>, options?: SendOptions];

/** `execute` when the client knows the commands: names, payloads and results checked. */
export type TypedExecute<C extends Commands> = <K extends CommandName<C>>(
  type: K,
  ...args: ExecuteArgs<C[K]>
) => Promise<ActorResult<ResultOf<C[K]>>>;

/** `execute` of a client created without the commands' type: any name, any object. */
export type UntypedExecute = <R = unknown>(
  type: string,
  payload?: object,
  options?: SendOptions,
) => Promise<ActorResult<R>>;

/**
 * One actor, seen from the page. Every unsafe call retries under one Idempotency-Key.
 * `C` is the worker's `typeof commands` (see `createActorClient`).
 */
export interface ActorHandle<C extends Commands = Commands> {
  readonly id: string;
  /** `PUT {scope}{id}/tasks`: appends `task` to the actor's task log (201 → `done`, 202 → `pending`). */
  send<R = unknown>(task: object, options?: SendOptions): Promise<ActorResult<R>>;
  /**
   * `POST {scope}{id}/execute`: runs the registered command `type` with `payload` (its `type`
   * is set to `type`). With the commands' type, a name the worker lacks, a payload the command
   * does not take, or a wrong use of its result is a compile error.
   */
  readonly execute: IsUntyped<C> extends true ? UntypedExecute : TypedExecute<C>;
  /** `PUT {scope}{id}/state`: replaces the state, if `ifMatch` matches when given. */
  setState(state: object, options?: SetStateOptions): Promise<ActorResult<{ etag: string }>>;
  /** `GET {scope}{id}/state`: this device's state (confirmed plus pending) and its ETag. */
  state<S extends object = JsonObject>(): Promise<StateSnapshot<S>>;
  /** `GET {scope}{id}/status`: version, pending count, last sync and error. */
  status(): Promise<ActorStatus>;
  /** `GET {scope}{id}/tasks/{key}`: the receipt kept under a key (404 → ActorHttpError `receipt-not-found`). */
  receipt(key: string): Promise<ActorReceipt>;
}

/** Builds the handle of one actor; the id is checked as the worker checks it. Internal. */
export function createActorHandle<C extends Commands = Commands>(
  core: ClientCore,
  id: string,
): ActorHandle<C> {
  return untypedHandle(core, id);
}

// The worker's answers are JSON at run time: the commands' types are the caller's word on them,
// as `state<S>()` takes the caller's word on the state. `execute` is one function either way.
function untypedHandle(core: ClientCore, id: string): ActorHandle {
  const actorId = checkActorId(id);
  const base = `${core.config.scope}${actorId}/`;

  const deliver = async <R>(
    resource: 'tasks' | 'execute' | 'state',
    method: 'PUT' | 'POST',
    body: JsonObject,
    options: SetStateOptions,
  ) =>
    core.deliver<R>(
      await prepare(core, actorId, base + resource, method, body, options),
      options.signal,
    );

  return {
    id: actorId,
    // async, so that a bad argument rejects like every other failure instead of throwing.
    send: async (task, options = {}) => deliver('tasks', 'PUT', object(task, 'task'), options),
    async execute(type: string, payload: object = {}, options: SendOptions = {}) {
      if (typeof type !== 'string' || type === '') {
        throw new TypeError('execute(type): type must be a non-empty string');
      }
      return deliver('execute', 'POST', { ...object(payload, 'payload'), type }, options);
    },
    setState: async (state, options = {}) =>
      deliver('state', 'PUT', object(state, 'state'), options),
    async state<S extends object>() {
      const answer = await core.read(actorId, `${base}state`);
      return { state: answer.body as S, etag: answer.headers['etag'] ?? '' };
    },
    async status() {
      return (await core.read(actorId, `${base}status`)).body as ActorStatus;
    },
    async receipt(key) {
      keyHeader(key, 'key');
      return (await core.read(actorId, core.receiptPath(actorId, key))).body as ActorReceipt;
    },
  };
}

// Picks the key: the one given, else that of the same stored operation, else the intent's, else a fresh one.
async function prepare(
  core: ClientCore,
  actorId: string,
  path: string,
  method: string,
  value: JsonObject,
  options: SetStateOptions,
): Promise<StoredOperation> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('options must be an object');
  }
  if (options.key !== undefined) keyHeader(options.key);
  const { intent, ifMatch, signal } = options;
  if (
    intent !== undefined &&
    (typeof intent !== 'string' || intent === '' || intent.length > 200)
  ) {
    throw new TypeError('options.intent must be a string of 1-200 characters');
  }
  if (ifMatch !== undefined && (typeof ifMatch !== 'string' || ifMatch === '')) {
    throw new TypeError('options.ifMatch must be a non-empty string (an ETag from state())');
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError('options.signal must be an AbortSignal');
  }
  const body = JSON.stringify(value);
  const stored = core.store.list(actorId);
  const existing =
    options.key !== undefined
      ? stored.find((operation) => operation.key === options.key)
      : intent !== undefined
        ? stored.find((operation) => operation.intent === intent)
        : stored.find(
            (operation) =>
              operation.stage === 'sending' &&
              operation.intent === undefined &&
              operation.method === method &&
              operation.path === path &&
              operation.body === body &&
              operation.ifMatch === ifMatch,
          );
  return {
    actorId,
    key:
      options.key ??
      existing?.key ??
      (intent === undefined ? crypto.randomUUID() : await intentKey(intent)),
    ...(intent === undefined ? {} : { intent }),
    method,
    path,
    ...(ifMatch === undefined ? {} : { ifMatch }),
    body,
    stage: existing?.stage ?? 'sending',
    createdAt: existing?.createdAt ?? Date.now(),
  };
}

/**
 * The key of an intent: a function of the intent alone, so the same intent is
 * the same operation whether its first answer was final (201, forgotten at
 * once) or pending (202, stored), in any tab and after any reload — for as
 * long as the worker keeps the receipt and the remote the key.
 */
async function intentKey(intent: string): Promise<string> {
  return `intent-${(await sha256Hex(intent)).slice(0, 32)}`;
}

function object(value: unknown, name: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${name} must be a JSON object`);
  }
  return value as JsonObject;
}
