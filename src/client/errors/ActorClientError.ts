/** The `name` of every error `actordav/client` throws; guards compare it, not prototypes. */
export type ActorClientErrorName =
  | 'ActorClientError'
  | 'ActorHttpError'
  | 'RetriesExhaustedError'
  | 'NoWorkerError'
  | 'NotControlledError';

const names: ReadonlySet<string> = new Set<ActorClientErrorName>([
  'ActorClientError',
  'ActorHttpError',
  'RetriesExhaustedError',
  'NoWorkerError',
  'NotControlledError',
]);

/**
 * The base of the client's errors: a stable string `code`, the actor and
 * Idempotency-Key it concerns (when there is one) and the `cause`.
 */
export class ActorClientError extends Error {
  override name: ActorClientErrorName = 'ActorClientError';
  /** Stable: a worker's problem code (`key-reused`, …) or a client code (`retries-exhausted`, …). */
  readonly code: string;
  readonly actorId: string | undefined;
  readonly key: string | undefined;

  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; actorId?: string | undefined; key?: string | undefined } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.actorId = options.actorId;
    this.key = options.key;
  }
}

/** True for any error of `actordav/client`, also one that crossed `postMessage` or a realm. */
export function isActorClientError(value: unknown): value is ActorClientError {
  return (
    typeof value === 'object' &&
    value !== null &&
    names.has(String((value as { name?: unknown }).name)) &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}
