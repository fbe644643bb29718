import { ActorError } from '../errors/ActorError.ts';

const actorIdPattern = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

/**
 * Checks an actor id exactly as it appears in the path. Every allowed
 * character is unreserved, so an id with a `%` escape (`%2F`, `%2E`) is
 * refused before anything decodes it ([routes](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#routes)).
 */
export function parseActorId(segment: string): string {
  if (!actorIdPattern.test(segment)) {
    throw new ActorError(
      'invalid-actor-id',
      'An actor id is 1-128 characters of [A-Za-z0-9._~-] starting with a letter or digit',
      { extensions: { actorId: segment.slice(0, 200) } },
    );
  }
  return segment;
}
