const actorIdPattern = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

/** Checks an actor id as the worker does ([routes](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#routes)); throws a TypeError naming it. */
export function checkActorId(id: unknown): string {
  if (typeof id !== 'string' || !actorIdPattern.test(id)) {
    throw new TypeError(
      `actor id must be 1-128 characters of [A-Za-z0-9._~-] starting with a letter or digit, got ${JSON.stringify(id)}`,
    );
  }
  return id;
}
