/** An RFC 9457 problem+json body as the worker writes it: always with a stable `code`. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  instance?: string;
  code?: string;
  [extension: string]: unknown;
}

/** An answer as the client received it: header names lower-case, the body parsed when JSON. */
export interface ActorAnswer<B = unknown> {
  status: number;
  headers: Record<string, string>;
  body: B;
}

/**
 * The body of the worker's answer to an accepted message: the final
 * `result`, or while pending the result computed locally (or the local
 * rejection as `problem`, which the remote may yet overturn).
 */
export interface MessageBody<R = unknown> {
  key: string;
  status: 'done' | 'pending';
  result: R | null;
  problem?: Problem;
}

/** How an unsafe call ended, once the worker answered 2xx. */
export interface ActorResult<R = unknown> {
  /** `done`: final (confirmed by the remote, or no remote); `pending`: 202, committed on this device only. */
  status: 'done' | 'pending';
  /** The Idempotency-Key the message went under. */
  key: string;
  answer: ActorAnswer<MessageBody<R>>;
  /** Where the receipt is read (`GET {scope}{id}/tasks/{key}`); the final answer appears there. */
  receiptUrl: string;
  /** True when the worker replayed a stored answer (`Idempotent-Replayed: true`). */
  replayed: boolean;
}
