import { ActorError } from '../errors/ActorError.ts';
import type { Command } from './command.ts';
import type { JsonObject } from './message.ts';

/** `PUT tasks`: appends `{key, task, at}` to `state.tasks` ([routes](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#routes)). */
export const appendTask: Command = (state, task, { key, at }) => {
  const tasks: unknown = state['tasks'] ?? [];
  if (!Array.isArray(tasks)) throw new TypeError('state.tasks is not an array');
  const entry = { key, task, at };
  return { state: { ...state, tasks: [...(tasks as unknown[]), entry] }, result: entry };
};

/** `PUT state`: replaces the state; the If-Match check happens before (see `matchesIfMatch`). */
export const replaceState: Command = (_state, next: JsonObject) => ({ state: next });

/**
 * RFC 9110 §13.1.1 strong comparison of an If-Match list against the current
 * ETag. Every actor has a state (`{}` before its first write, served by GET),
 * so `*` always matches.
 */
export function matchesIfMatch(ifMatch: string, etag: string): boolean {
  const wanted = ifMatch.split(',').map((tag) => tag.trim());
  if (wanted.includes('*')) return true;
  return wanted.includes(etag);
}

/** The error a failed If-Match becomes. */
export function preconditionFailed(etag: string): ActorError {
  return new ActorError('precondition-failed', 'If-Match does not match the current ETag', {
    extensions: { etag },
  });
}
