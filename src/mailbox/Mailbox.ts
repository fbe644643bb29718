import { ActorError } from '../errors/ActorError.ts';
import type { StoredAnswer } from '../http/answer.ts';
import type { Message } from '../actor/message.ts';
import type { ActorLocks } from './ActorLocks.ts';

/** A message on its way into an actor's mailbox. */
export interface Letter {
  actorId: string;
  key: string;
  fingerprint: string;
  message: Message;
}

/** How a letter was answered; `replayed` when the answer was already stored under its key. */
export interface Delivery {
  answer: StoredAnswer;
  replayed: boolean;
  /** The message's sequence number on this device. */
  seq: number;
}

/** A letter waiting in the queue, with the settlement of its request. */
export interface Queued extends Letter {
  deliver(delivery: Delivery): void;
  refuse(error: unknown): void;
}

/** Handles one batch of an actor's letters while the actor's lock is held. */
export type BatchHandler = (actorId: string, batch: Queued[]) => Promise<void>;

export interface MailboxOptions {
  onDuplicateInFlight: 'wait' | 'reject';
  maxQueuedPerActor: number;
}

/**
 * Per actor, a queue drained under the actor's Web Lock. Everything that
 * arrives while a batch is running waits for the next one, so several
 * messages share one turn of the lock and one transaction (group commit).
 * A key already queued in this worker is not queued twice: the duplicate
 * waits for the first one's answer (or is refused, if so configured).
 */
export class Mailbox {
  readonly #handle: BatchHandler;
  readonly #locks: ActorLocks;
  readonly #options: MailboxOptions;
  readonly #queues = new Map<string, Queued[]>();
  readonly #draining = new Set<string>();
  readonly #inFlight = new Map<string, { fingerprint: string; done: Promise<Delivery> }>();

  constructor(handle: BatchHandler, locks: ActorLocks, options: MailboxOptions) {
    this.#handle = handle;
    this.#locks = locks;
    this.#options = options;
  }

  /** Queues a letter; resolves once its answer is durable (or replayed). */
  submit(letter: Letter): Promise<Delivery> {
    const id = `${letter.actorId}\n${letter.key}`;
    const twin = this.#inFlight.get(id);
    if (twin !== undefined) return this.#joinTwin(twin, letter);
    const queue = this.#queues.get(letter.actorId) ?? [];
    if (queue.length >= this.#options.maxQueuedPerActor) {
      return Promise.reject(tooManyPending());
    }
    const done = new Promise<Delivery>((deliver, refuse) => {
      queue.push({ ...letter, deliver, refuse });
    });
    this.#queues.set(letter.actorId, queue);
    const entry = { fingerprint: letter.fingerprint, done };
    this.#inFlight.set(id, entry);
    const forget = () => {
      if (this.#inFlight.get(id) === entry) this.#inFlight.delete(id);
    };
    done.then(forget, forget);
    void this.#drain(letter.actorId);
    return done;
  }

  async #joinTwin(
    twin: { fingerprint: string; done: Promise<Delivery> },
    letter: Letter,
  ): Promise<Delivery> {
    if (twin.fingerprint !== letter.fingerprint) throw new ActorError('key-reused');
    if (this.#options.onDuplicateInFlight === 'reject') throw new ActorError('key-in-flight');
    return { ...(await twin.done), replayed: true };
  }

  async #drain(actorId: string): Promise<void> {
    if (this.#draining.has(actorId)) return;
    this.#draining.add(actorId);
    try {
      await this.#locks.run(actorId, async () => {
        for (let batch = this.#take(actorId); batch.length > 0; batch = this.#take(actorId)) {
          try {
            await this.#handle(actorId, batch);
          } catch (error) {
            for (const letter of batch) letter.refuse(error);
          }
        }
      });
    } catch (error) {
      for (const letter of this.#take(actorId)) letter.refuse(error);
    } finally {
      this.#draining.delete(actorId);
    }
    // A letter that arrived while the lock was being released found the mailbox still draining.
    if (this.#queues.has(actorId)) await this.#drain(actorId);
  }

  #take(actorId: string): Queued[] {
    const batch = this.#queues.get(actorId) ?? [];
    this.#queues.delete(actorId);
    return batch;
  }
}

/** The 503 for an actor whose backlog is full. */
export function tooManyPending(): ActorError {
  return new ActorError('too-many-pending', 'Too many messages wait for this actor; retry later', {
    headers: { 'retry-after': '5' },
  });
}
