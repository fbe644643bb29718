import { ActorError } from '../errors/ActorError.ts';
import { parseActorId } from './actorId.ts';
import { checkKey } from './idempotencyKey.ts';

/** What a path under the scope names. */
export type Route =
  | { actorId: string; resource: 'tasks' | 'execute' | 'state' | 'status' }
  | { actorId: string; resource: 'receipt'; key: string };

const allowedMethods: Record<Route['resource'], readonly string[]> = {
  tasks: ['PUT'],
  execute: ['POST'],
  state: ['GET', 'HEAD', 'PUT'],
  status: ['GET', 'HEAD'],
  receipt: ['GET', 'HEAD'],
};

/**
 * Matches `{scope}{id}/{resource}[/{key}]` and the method. The actor id is
 * checked before anything else, so a bad id is always a 400.
 */
export function parseRoute(method: string, pathname: string, scope: string): Route {
  const [rawId = '', resource, rawKey, ...rest] = pathname.slice(scope.length).split('/');
  const actorId = parseActorId(rawId);
  const route = toRoute(actorId, resource, rawKey, rest.length);
  const allow = allowedMethods[route.resource];
  if (!allow.includes(method)) {
    throw new ActorError('method-not-allowed', `${method} is not allowed here`, {
      headers: { allow: allow.join(', ') },
    });
  }
  return route;
}

function toRoute(
  actorId: string,
  resource: string | undefined,
  rawKey: string | undefined,
  extra: number,
): Route {
  if (extra === 0 && rawKey !== undefined && resource === 'tasks') {
    return { actorId, resource: 'receipt', key: decodeKey(rawKey) };
  }
  if (
    extra === 0 &&
    rawKey === undefined &&
    (resource === 'tasks' ||
      resource === 'execute' ||
      resource === 'state' ||
      resource === 'status')
  ) {
    return { actorId, resource };
  }
  throw new ActorError(
    'invalid-path',
    'Known resources: tasks, execute, state, status, tasks/{key}',
  );
}

function decodeKey(rawKey: string): string {
  try {
    return checkKey(decodeURIComponent(rawKey));
  } catch (cause) {
    throw new ActorError('key-malformed', 'The key in the path is not a valid Idempotency-Key', {
      cause,
    });
  }
}
