import type { ActorLocks } from '../mailbox/ActorLocks.ts';
import { unexpired } from '../store/receipts.ts';
import type { ReceiptRecord } from '../store/schema.ts';
import type { SharedTransactions } from '../store/SharedTransactions.ts';

/** A request's place in its actor's line, taken the moment it arrives, before its body is read. */
export interface Arrival {
  /**
   * Looks the key's live receipt up (`undefined` when there is none, or when
   * the lookup is skipped) and hands it to `next` once every request of the
   * actor that arrived earlier has had its turn: `next` is where the letter
   * joins the mailbox. Leaves the line as soon as `next` has run.
   */
  lookUp<T>(key: string, next: (stored: ReceiptRecord | undefined) => T): Promise<T>;
  /** Gives up the place (a request refused before the mailbox); later arrivals go on. */
  leave(): void;
}

/**
 * The receipt lookup a request makes before the mailbox, so that a replay is
 * answered without the actor's lock, and the line that keeps an actor's
 * requests in the order they arrived. A request takes its place before it
 * reads its body and computes its fingerprint, whose time varies with the
 * body: a later, smaller request must not overtake it into the mailbox. While
 * this worker holds the actor's lock and nobody is ahead, the lookup is
 * skipped (the turn reads the receipt under the lock anyway).
 */
export class ReceiptLookups {
  readonly #reads: SharedTransactions<'readonly'>;
  readonly #locks: ActorLocks;
  /** Per actor, settles once the last request in line has handed on its receipt (or left). */
  readonly #tails = new Map<string, Promise<void>>();

  constructor(reads: SharedTransactions<'readonly'>, locks: ActorLocks) {
    this.#reads = reads;
    this.#locks = locks;
  }

  arrive(actorId: string): Arrival {
    const earlier = this.#tails.get(actorId);
    let leave = noop;
    const mine = new Promise<void>((resolve) => {
      leave = resolve;
    });
    this.#tails.set(actorId, mine);
    void mine.then(() => {
      if (this.#tails.get(actorId) === mine) this.#tails.delete(actorId);
    });
    return {
      lookUp: async (key, next) => {
        try {
          if (earlier === undefined && this.#locks.held(actorId)) return next(undefined);
          const read = this.#reads.run((tx) => tx.objectStore('receipts').get([actorId, key]));
          // After the earlier request even when this read fails, or a later one could overtake it.
          const [stored] = await Promise.allSettled([read, earlier]);
          if (stored.status === 'rejected') throw stored.reason;
          return next(unexpired(stored.value, Date.now()));
        } finally {
          leave();
        }
      },
      leave: () => leave(),
    };
  }
}

function noop(): void {}
