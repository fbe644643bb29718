/** Why a sync round stopped; shown in `GET {scope}{id}/status` as `lastError.code`. */
export type SyncErrorCode =
  | 'remote-unreachable'
  | 'remote-server-error'
  | 'remote-unauthorized'
  | 'remote-redirect'
  | 'remote-protocol'
  | 'remote-unsafe'
  | 'device-id-conflict'
  | 'remote-fork';

const retryable: ReadonlySet<SyncErrorCode> = new Set([
  'remote-unreachable',
  'remote-server-error',
]);

/**
 * A sync round's failure. Retryable ones (network, 5xx) back off and try
 * again; the others wait for the next trigger. None of them drops anything.
 */
export class SyncError extends Error {
  override name = 'SyncError' as const;
  readonly code: SyncErrorCode;
  readonly status: number | undefined;

  constructor(
    code: SyncErrorCode,
    message: string,
    options: { cause?: unknown; status?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.status = options.status;
  }

  get retryable(): boolean {
    return retryable.has(this.code);
  }
}

/** True for a SyncError, also one that crossed `postMessage`. */
export function isSyncError(value: unknown): value is SyncError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'SyncError'
  );
}
