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

/** A command's new state and the result its caller gets. */
export interface CommandResult<S extends JsonObject = JsonObject> {
  state: S;
  result?: unknown;
}

/**
 * A deterministic function of (state, message, context). It does no I/O: the
 * sync engine runs it again on the remote state, and a command that called
 * its own actor would deadlock its mailbox. Throwing rejects the message;
 * the rejection is stored and replayed like any answer.
 */
export type Command<S extends JsonObject = JsonObject, P extends JsonObject = JsonObject> = (
  state: S,
  payload: P,
  context: CommandContext,
) => CommandResult<S> | Promise<CommandResult<S>>;

/** The commands an actor host runs, by name (the `type` of an execute body). */
// Commands are looked up by name at run time, so their own state and payload types are erased here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Commands = Record<string, Command<any, any>>;
