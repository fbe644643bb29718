import type { ActorLocks } from '../mailbox/ActorLocks.ts';
import { unexpired } from '../store/receipts.ts';
import type { ReceiptRecord } from '../store/schema.ts';
import type { SharedTransactions } from '../store/SharedTransactions.ts';

/**
 * The receipt lookup a request makes before the mailbox, so that a replay is
 * answered without the actor's lock. While this worker holds the lock the
 * lookup is skipped (the turn reads the receipt under the lock anyway),
 * unless an earlier request for the actor is still looking up: skipping would
 * let the later request overtake it into the mailbox, and an actor takes its
 * messages in the order they come to it.
 */
export class ReceiptLookups {
  readonly #reads: SharedTransactions<'readonly'>;
  readonly #locks: ActorLocks;
  /** Per actor, settles once the last lookup still open has handed on its receipt (or failed). */
  readonly #tails = new Map<string, Promise<void>>();

  constructor(reads: SharedTransactions<'readonly'>, locks: ActorLocks) {
    this.#reads = reads;
    this.#locks = locks;
  }

  /**
   * Looks up the key's live receipt (`undefined` when there is none, or when
   * the lookup is skipped) and hands it to `next`, after every earlier
   * request of the actor has had its own: `next` is where the letter joins
   * the mailbox.
   */
  async lookUp<T>(
    actorId: string,
    key: string,
    next: (stored: ReceiptRecord | undefined) => T,
  ): Promise<T> {
    const earlier = this.#tails.get(actorId);
    if (earlier === undefined && this.#locks.held(actorId)) return next(undefined);
    const read = this.#reads.run((tx) => tx.objectStore('receipts').get([actorId, key]));
    // After the earlier lookup even when this read fails, or a later request could overtake it.
    // Boxed, so a promise `next` returns (the delivery) is not waited for here.
    const handed = Promise.allSettled([read, earlier]).then(([stored]) => {
      if (stored.status === 'rejected') throw stored.reason;
      return { value: next(unexpired(stored.value, Date.now())) };
    });
    const tail = handed.then(noop, noop);
    this.#tails.set(actorId, tail);
    try {
      return (await handed).value;
    } finally {
      if (this.#tails.get(actorId) === tail) this.#tails.delete(actorId);
    }
  }
}

function noop(): void {}
