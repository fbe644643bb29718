import type { ActorEvent } from '../events/actorEvent.ts';
import { lastErrorAdvice } from '../errors/lastErrorAdvice.ts';

/**
 * Wraps a host's `emit` so that the first sync failure of each code in this
 * worker's life is also a `console.warn` saying what to do: a first run
 * against a misconfigured remote should say so where a developer looks,
 * not only in `GET status`. Later failures of the same code stay quiet.
 */
export function warnFirstErrors(emit: (event: ActorEvent) => void): (event: ActorEvent) => void {
  const warned = new Set<string>();
  return (event) => {
    const error = event.type === 'sync' && event.phase === 'failed' ? event.error : null;
    if (error !== null && !warned.has(error.code)) {
      warned.add(error.code);
      const advice = (lastErrorAdvice as Readonly<Record<string, string>>)[error.code];
      console.warn(
        `actordav: sync of actor "${event.actorId}" failed with ${error.code}: ${error.message}` +
          (advice === undefined ? '' : `. What to do: ${advice}`),
      );
    }
    emit(event);
  };
}
