/**
 * actordav for pages: register the worker, talk to actors with
 * Idempotency-Keys and retries, hear receipts and sync progress live.
 *
 * @example
 * ```ts
 * import { createActorClient, registerActors } from 'actordav/client';
 *
 * import type { commands } from './commands'; // the worker's, `satisfies Commands`
 *
 * await registerActors('/sw.js');
 * const client = createActorClient<typeof commands>();
 * const deposited = await client.actor('alice').execute('deposit', { amount: 5 });
 * if (deposited.status === 'done') console.log(deposited.result.balance); // typed by the command
 * ```
 */
export {
  registerActors,
  type ActorsRegistration,
  type PersistenceAnswer,
  type RegisterActorsOptions,
} from './client/registerActors.ts';
export {
  createActorClient,
  type ActorClient,
  type ResumedOperation,
} from './client/createActorClient.ts';
export type {
  ActorHandle,
  JsonObject,
  SendOptions,
  SetStateOptions,
} from './client/createActorHandle.ts';
export type { ActorClientOptions, RetryOptions } from './client/clientOptions.ts';
export type {
  ActorAnswer,
  ActorResult,
  DoneResult,
  MessageBody,
  PendingResult,
  Problem,
} from './client/ActorResult.ts';
export type { ExecuteArgs, TypedExecute, UntypedExecute } from './client/createActorHandle.ts';
export type { CommandName, PayloadOf, ResultOf } from './client/commandTypes.ts';
export type { Commands } from './actor/command.ts';
export type { ActorReceipt, ActorStatus, StateSnapshot } from './client/ActorViews.ts';
export type { HeldBack, RemoteStatus, SyncProblem } from './http/types.ts';
export type { PendingActor, PendingOperation } from './client/PendingOperation.ts';
export type { ActorEventListener } from './client/EventHub.ts';
export {
  ActorClientError,
  isActorClientError,
  type ActorClientErrorName,
} from './client/errors/ActorClientError.ts';
export { ActorHttpError, isActorHttpError } from './client/errors/ActorHttpError.ts';
export {
  RetriesExhaustedError,
  isRetriesExhaustedError,
} from './client/errors/RetriesExhaustedError.ts';
export { NoWorkerError, isNoWorkerError } from './client/errors/NoWorkerError.ts';
export {
  NotControlledError,
  isNotControlledError,
  type NotControlledCode,
} from './client/errors/NotControlledError.ts';
export {
  eventChannelName,
  type ActorEvent,
  type ReceiptEvent,
  type SyncEvent,
} from './events/actorEvent.ts';
