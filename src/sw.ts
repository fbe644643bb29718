/**
 * actordav for the service worker.
 *
 * @example
 * ```ts
 * import { createActorHost } from 'actordav/sw';
 * createActorHost({ commands: {} }).listen();
 * ```
 */
export { createActorHost, type ActorHost } from './host/createActorHost.ts';
export type { ActorHostOptions } from './host/options.ts';
export type { Command, CommandContext, CommandResult, Commands } from './actor/command.ts';
export type { JsonObject } from './actor/message.ts';
export { ActorError, isActorError, type ProblemExtensions } from './errors/ActorError.ts';
export type { ProblemCode } from './errors/problemCodes.ts';
export type {
  ActorAnswer,
  ActorReceipt,
  ActorStatus,
  HeldBack,
  MessageBody,
  Problem,
  RemoteStatus,
  SyncProblem,
} from './http/types.ts';
export { syncTag } from './host/createActorHost.ts';
export type { RemoteOptions, RemoteHeaders } from './webdav/remoteConfig.ts';
export type { RemoteChoiceOptions } from './webdav/remoteChoice.ts';
export { SyncError, isSyncError, type SyncErrorCode } from './errors/SyncError.ts';
export {
  eventChannelName,
  type ActorEvent,
  type ReceiptEvent,
  type SyncEvent,
} from './events/actorEvent.ts';
