/** Why a sync round stopped; shown in `GET {scope}{id}/status` as `lastError.code`. */
export type SyncErrorCode =
  | 'remote-unreachable'
  | 'remote-timeout'
  | 'remote-cors'
  | 'remote-server-error'
  | 'remote-unauthorized'
  | 'remote-redirect'
  | 'remote-protocol'
  | 'remote-unsafe'
  | 'device-id-conflict'
  | 'remote-lost-segment'
  | 'remote-rollback'
  | 'remote-fork'
  | 'remote-config';

// `remote-cors` is retried too: a reverse proxy's own error page (a 502 while the server restarts)
// lacks CORS headers as often as a misconfigured server does, and a fix on the server must reach a
// device without a user's help. The engine's capped backoff bounds what that costs the server.
const retryable: ReadonlySet<SyncErrorCode> = new Set([
  'remote-unreachable',
  'remote-timeout',
  'remote-cors',
  'remote-server-error',
]);

/**
 * A sync round's failure. Retryable ones (network, time limit, CORS, 5xx) back off and try
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

const unansweredCodes: ReadonlySet<string> = new Set([
  'remote-unreachable',
  'remote-timeout',
  'remote-cors',
]);

/**
 * True for the failure of a request whose answer this device never saw: no
 * network, no answer in time, or one the browser hid (CORS; a connection
 * reset after the server answered looks the same). The request may have
 * taken effect: a write is settled by reading back, never by its answer.
 */
export function isUnanswered(error: unknown): error is SyncError {
  return isSyncError(error) && unansweredCodes.has(error.code);
}
