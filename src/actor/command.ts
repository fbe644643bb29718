import type { JsonObject } from './message.ts';

/** What a command knows besides the state and the message: fixed at acceptance. */
export interface CommandContext {
  actorId: string;
  /** The message's Idempotency-Key. */
  key: string;
  /** Acceptance time (ms since the epoch), fixed once so a replay is deterministic. */
  at: number;
  /** The id of the device that accepted the message. */
  deviceId: string;
  /** The message's sequence number on that device. */
  seq: number;
}

/**
 * A command's new state and the result its caller gets (`null` when absent). `S` may be an
 * interface: it needs only to be an object, as JSON states are.
 */
export interface CommandResult<S extends object = JsonObject, R = unknown> {
  state: S;
  result?: R;
}

/**
 * A deterministic function of (state, message, context). It does no I/O: the
 * sync engine runs it again on the remote state, and a command that called
 * its own actor would deadlock its mailbox. Throwing rejects the message;
 * the rejection is stored and replayed like any answer.
 */
export type Command<S extends object = JsonObject, P extends object = JsonObject, R = unknown> = (
  state: S,
  payload: P,
  context: CommandContext,
) => CommandResult<S, R> | Promise<CommandResult<S, R>>;

/**
 * The commands an actor host runs, by name (the `type` of an execute body). Check an object
 * against it with `satisfies Commands`, not a `: Commands` annotation, so that `typeof commands`
 * keeps each name, payload and result for `createActorClient<typeof commands>()`.
 */
// Commands are looked up by name at run time, so their own state and payload types are erased here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Commands = Record<string, Command<any, any>>;
