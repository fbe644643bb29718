import { ActorError, isActorError } from '../errors/ActorError.ts';
import { appendTask, matchesIfMatch, preconditionFailed, replaceState } from './builtinCommands.ts';
import { canonicalJson } from './canonicalJson.ts';
import type { Command, CommandContext, Commands } from './command.ts';
import { stateType, taskType, type JsonObject, type Message } from './message.ts';
import { runWithTimeout } from './runWithTimeout.ts';
import { stateEtag } from './stateEtag.ts';

/** A state together with its ETag. */
export interface VersionedState {
  state: JsonObject;
  etag: string;
}

/** What applying one message produced: a new state and result, or the error that is its answer. */
export type Applied =
  { ok: true; next: VersionedState; result: unknown } | { ok: false; error: ActorError };

/**
 * Runs one message against a state: the one piece of logic both acceptance
 * and the sync fold use, so a message means the same thing in both places.
 */
export async function applyMessage(
  commands: Commands,
  current: VersionedState,
  message: Message,
  context: CommandContext,
  turnTimeoutMs: number,
): Promise<Applied> {
  if (message.ifMatch !== undefined && !matchesIfMatch(message.ifMatch, current.etag)) {
    return { ok: false, error: preconditionFailed(current.etag) };
  }
  const command = commandFor(commands, message.type);
  if (command === undefined) {
    return { ok: false, error: new ActorError('unknown-command', `No command "${message.type}"`) };
  }
  try {
    // User commands get their own copy: one that mutates and then throws must not leave a half-changed state.
    const input = message.type.startsWith('@') ? current.state : structuredClone(current.state);
    const { state, result } = await runWithTimeout(
      () => command(input, message.payload, context),
      turnTimeoutMs,
    );
    if (typeof state !== 'object' || state === null || Array.isArray(state)) {
      throw new TypeError('A command must return { state } with a JSON object state');
    }
    const canonical = canonicalJson(state);
    const next = {
      state: JSON.parse(canonical) as JsonObject,
      etag: await stateEtag(canonical),
    };
    return {
      ok: true,
      next,
      result: result === undefined ? null : JSON.parse(canonicalJson(result)),
    };
  } catch (error) {
    if (isActorError(error) && error.code === 'turn-timeout') return { ok: false, error };
    return {
      ok: false,
      error: new ActorError('command-rejected', errorMessage(error), { cause: error }),
    };
  }
}

/** Whether `type` names a command these commands (or the built-ins) can run. */
export function hasCommand(commands: Commands, type: string): boolean {
  return commandFor(commands, type) !== undefined;
}

function commandFor(commands: Commands, type: string): Command | undefined {
  if (type === taskType) return appendTask;
  if (type === stateType) return replaceState;
  return Object.hasOwn(commands, type) ? commands[type] : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
