import type { ActorAnswer } from './ActorResult.ts';
import { ActorClientError } from './errors/ActorClientError.ts';
import { isJsonType } from './isJsonType.ts';

/**
 * An answer the worker did not write, as an error to retry on; undefined for
 * the worker's own. The worker answers JSON or problem+json, or nothing (204,
 * 304). Anything else came from the network, as when Firefox hands a fetch to
 * it because the worker that took it was stopped: the key may not have
 * reached the worker, so the same request must go again.
 */
export function strayAnswer(
  answer: ActorAnswer,
  context: { actorId?: string | undefined; key?: string | undefined },
): ActorClientError | undefined {
  if (answer.status === 204 || answer.status === 304) return undefined;
  const type = answer.headers['content-type'] ?? '';
  if (isJsonType(type)) return undefined;
  return new ActorClientError(
    'not-from-worker',
    `The network answered, not the actor worker: ${answer.status} ${type.split(';')[0] || 'without a content type'}`,
    context,
  );
}
