import type { ActorAnswer, Problem } from '../ActorResult.ts';
import { ActorClientError } from './ActorClientError.ts';

/**
 * The worker's final refusal of a request (a 4xx, or a 5xx that retrying
 * cannot change): `code`, `status` and `detail` come from its
 * `application/problem+json` body (RFC 9457), the whole of which is `problem`.
 */
export class ActorHttpError extends ActorClientError {
  override name = 'ActorHttpError' as const;
  readonly status: number;
  readonly detail: string;
  /** The problem+json body, or undefined when the answer was something else. */
  readonly problem: Problem | undefined;
  /** The answer as received. */
  readonly answer: ActorAnswer;

  constructor(
    answer: ActorAnswer,
    options: { cause?: unknown; actorId?: string | undefined; key?: string | undefined } = {},
  ) {
    const problem = isProblem(answer) ? answer.body : undefined;
    const code = typeof problem?.code === 'string' ? problem.code : `http-${answer.status}`;
    const detail = problem?.detail ?? problem?.title ?? `HTTP ${answer.status}`;
    super(code, `${answer.status} ${code}: ${detail}`, options);
    this.status = answer.status;
    this.detail = detail;
    this.problem = problem;
    this.answer = answer;
  }
}

/** True for an ActorHttpError, also one that crossed `postMessage` (checks `name`). */
export function isActorHttpError(value: unknown): value is ActorHttpError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'ActorHttpError' &&
    typeof (value as { status?: unknown }).status === 'number'
  );
}

function isProblem(answer: ActorAnswer): answer is ActorAnswer<Problem> {
  const type = answer.headers['content-type'] ?? '';
  return (
    type.startsWith('application/problem+json') &&
    typeof answer.body === 'object' &&
    answer.body !== null
  );
}
