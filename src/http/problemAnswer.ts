import { isActorError, ActorError } from '../errors/ActorError.ts';
import { problemCodes } from '../errors/problemCodes.ts';
import { jsonAnswer, type StoredAnswer } from './answer.ts';
import type { Problem } from './types.ts';

/**
 * The single place where errors become HTTP: an RFC 9457 problem+json answer
 * with a stable `code`. Anything that is not an ActorError is an internal error
 * and its message is not shown (it may name local details).
 */
export function problemAnswer(error: unknown, instance?: string): StoredAnswer {
  const known = isActorError(error)
    ? error
    : new ActorError('internal-error', undefined, { cause: error });
  // The answer hides the cause from the page, so the worker's console is where it can be found.
  if (known.code === 'internal-error')
    console.error('actordav: internal error', known.cause ?? known);
  const [, title] = problemCodes[known.code];
  const problem: Problem = {
    type: `urn:actordav:problem:${known.code}`,
    title,
    status: known.status,
    detail: known.message,
    code: known.code,
    ...(instance === undefined ? {} : { instance }),
    ...known.extensions,
  };
  return jsonAnswer(
    known.status,
    problem,
    Object.entries(known.headers),
    'application/problem+json',
  );
}
