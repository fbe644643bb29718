import { problemCodes, type ProblemCode } from './problemCodes.ts';

/** Extra members copied into the problem+json body (RFC 9457 extensions). */
export type ProblemExtensions = Record<string, string | number | boolean | null | string[]>;

/**
 * The one error type of actordav. Its `code` is stable, its `status` is the
 * HTTP status it becomes at the edge (see `toProblemAnswer`).
 */
export class ActorError extends Error {
  override name = 'ActorError' as const;
  readonly code: ProblemCode;
  readonly status: number;
  readonly extensions: ProblemExtensions;
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: ProblemCode,
    detail?: string,
    options: {
      cause?: unknown;
      extensions?: ProblemExtensions;
      headers?: Record<string, string>;
    } = {},
  ) {
    const [status, title] = problemCodes[code];
    super(detail ?? title, { cause: options.cause });
    this.code = code;
    this.status = status;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }
}

/**
 * True for an ActorError with a code this version knows, also one that
 * crossed `postMessage` (checks `name`, not the prototype).
 */
export function isActorError(value: unknown): value is ActorError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'ActorError' &&
    typeof (value as { code?: unknown }).code === 'string' &&
    Object.hasOwn(problemCodes, (value as { code: string }).code)
  );
}
