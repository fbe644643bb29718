import type { ActorAnswer } from './ActorResult.ts';

// Stored final answers: retrying them only replays the same answer. A faulty command
// (command-invalid, -nondeterministic) is not stored, but only a fixed release changes its answer.
const finalCodes: ReadonlySet<string> = new Set([
  'turn-timeout',
  'command-rejected',
  'command-invalid',
  'command-nondeterministic',
]);

/**
 * Whether an answer is worth the same request again: a 5xx (the worker or a
 * server failing for now), 503/429 (busy: honour Retry-After), 408, and
 * `409 key-in-flight` (the first request with this key is still running).
 * A replayed or stored final answer never is.
 */
export function isRetryableAnswer(answer: ActorAnswer): boolean {
  if (answer.headers['idempotent-replayed'] === 'true') return false;
  const code = (answer.body as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && finalCodes.has(code)) return false;
  if (answer.status >= 500) return true;
  if (answer.status === 408 || answer.status === 429) return true;
  return answer.status === 409 && code === 'key-in-flight';
}
