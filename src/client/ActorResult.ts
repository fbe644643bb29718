import type { ActorAnswer, MessageBody, Problem } from '../http/types.ts';

export type { ActorAnswer, MessageBody, Problem } from '../http/types.ts';

interface AnsweredCall<R> {
  /** The Idempotency-Key the message went under. */
  key: string;
  answer: ActorAnswer<MessageBody<R>>;
  /** Where the receipt is read (`GET {scope}{id}/tasks/{key}`); the final answer appears there. */
  receiptUrl: string;
  /** True when the worker replayed a stored answer (`Idempotent-Replayed: true`). */
  replayed: boolean;
}

/** A final answer (confirmed by the remote, or no remote): the command's `result`. */
export interface DoneResult<R = unknown> extends AnsweredCall<R> {
  status: 'done';
  /** The command's result (`answer.body.result`). */
  result: R;
  problem?: undefined;
}

/**
 * A `202`, committed on this device only: the result computed locally, or, when the
 * command threw locally, `result: null` and the rejection as `problem` (the fold on the
 * remote's state may yet accept it).
 */
export interface PendingResult<R = unknown> extends AnsweredCall<R> {
  status: 'pending';
  /** The local result (`answer.body.result`), or null when the command threw locally. */
  result: R | null;
  problem?: Problem;
}

/** How an unsafe call ended, once the worker answered 2xx. Check `status` to narrow `result`. */
export type ActorResult<R = unknown> = DoneResult<R> | PendingResult<R>;
