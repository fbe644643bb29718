import { ActorError } from '../errors/ActorError.ts';
import { appendTask, matchesIfMatch, preconditionFailed, replaceState } from './builtinCommands.ts';
import type { Command, CommandContext, Commands } from './command.ts';
import { stateType, taskType, type JsonObject, type Message } from './message.ts';
import { runCommand } from './runCommand.ts';
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
  checkDeterminism = false,
): Promise<Applied> {
  if (message.ifMatch !== undefined && !matchesIfMatch(message.ifMatch, current.etag)) {
    return { ok: false, error: preconditionFailed(current.etag) };
  }
  const command = commandFor(commands, message.type);
  if (command === undefined) {
    return { ok: false, error: new ActorError('unknown-command', `No command "${message.type}"`) };
  }
  const run = await runCommand(
    message.type,
    command,
    current.state,
    message.payload,
    context,
    turnTimeoutMs,
    checkDeterminism,
  );
  if (!run.ok) return run;
  const next = { state: JSON.parse(run.state) as JsonObject, etag: await stateEtag(run.state) };
  return { ok: true, next, result: JSON.parse(run.result) };
}

/**
 * True for an error that is a fault of the command's code, not an answer to
 * the message (`command-invalid`, `command-nondeterministic`): it is never
 * stored. Acceptance refuses the message (the key stays free); a fold stops
 * the device's run there, as for a command it lacks.
 */
export function isCommandFault(
  error: ActorError,
): error is ActorError & { code: 'command-invalid' | 'command-nondeterministic' } {
  return error.code === 'command-invalid' || error.code === 'command-nondeterministic';
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
