import { ActorError, isActorError } from '../errors/ActorError.ts';
import { canonicalJson } from './canonicalJson.ts';
import type { Command, CommandContext } from './command.ts';
import type { JsonObject } from './message.ts';
import { runWithTimeout } from './runWithTimeout.ts';

/** A command's output as canonical JSON, or the error that is its message's answer. */
export type CommandRun =
  { ok: true; state: string; result: string } | { ok: false; error: ActorError };

/**
 * Runs one command on a copy of the state and checks what it returned. A
 * throw is the command's own rejection (`command-rejected`); a return that is
 * not `{ state, result }` with a JSON object state is a bug in the command
 * (`command-invalid`). With `checkDeterminism`, the command runs twice on the
 * same input, and two different outcomes are `command-nondeterministic`: a
 * fold on another device would answer otherwise.
 */
export async function runCommand(
  name: string,
  command: Command,
  state: JsonObject,
  payload: JsonObject,
  context: CommandContext,
  turnTimeoutMs: number,
  checkDeterminism: boolean,
): Promise<CommandRun> {
  const once = () => runOnce(name, command, state, payload, context, turnTimeoutMs);
  const first = await once();
  if (!checkDeterminism || isTimeout(first)) return first;
  const second = await once();
  if (isTimeout(second) || outcome(first) === outcome(second)) return first;
  return {
    ok: false,
    error: new ActorError(
      'command-nondeterministic',
      `Command "${name}" answered the same state, payload and context in two ways ` +
        `(${outcome(first)} then ${outcome(second)}): use context.at and context.key, ` +
        'not Date.now(), Math.random() or crypto.randomUUID()',
    ),
  };
}

async function runOnce(
  name: string,
  command: Command,
  state: JsonObject,
  payload: JsonObject,
  context: CommandContext,
  turnTimeoutMs: number,
): Promise<CommandRun> {
  // User commands get their own copy: one that mutates and then throws must not leave a half-changed state.
  const input = name.startsWith('@') ? state : structuredClone(state);
  let output: unknown;
  try {
    output = await runWithTimeout(() => command(input, payload, context), turnTimeoutMs);
  } catch (error) {
    if (isActorError(error) && error.code === 'turn-timeout') return { ok: false, error };
    return {
      ok: false,
      error: new ActorError('command-rejected', errorMessage(error), { cause: error }),
    };
  }
  return checkOutput(name, output);
}

function checkOutput(name: string, output: unknown): CommandRun {
  const invalid = (what: string, cause?: unknown) => ({
    ok: false as const,
    error: new ActorError(
      'command-invalid',
      `Command "${name}" returned ${what}; a command must return { state, result } with a JSON object state`,
      { cause },
    ),
  });
  if (!isObject(output)) return invalid(describe(output));
  const { state, result } = output as { state?: unknown; result?: unknown };
  if (!isObject(state)) return invalid(`a state that is ${describe(state)}`);
  try {
    return {
      ok: true,
      state: canonicalJson(state),
      result: result === undefined ? 'null' : canonicalJson(result),
    };
  } catch (error) {
    return invalid(`a state or result with no JSON form (${errorMessage(error)})`, error);
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function isTimeout(run: CommandRun): boolean {
  return !run.ok && run.error.code === 'turn-timeout';
}

function outcome(run: CommandRun): string {
  return run.ok
    ? `state ${run.state}, result ${run.result}`
    : `${run.error.code}: ${run.error.message}`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
