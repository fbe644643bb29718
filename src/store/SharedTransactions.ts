import type { IDBPTransaction } from 'idb';
import { abortQuietly } from './commit.ts';
import type { ActorDb } from './openDb.ts';
import type { ActorDavSchema } from './schema.ts';

/** The stores every message touches: its actor, its receipt, its outbox row. */
export const messageStores = ['actors', 'receipts', 'outbox'] as const;

export type MessageTransaction<M extends IDBTransactionMode> = IDBPTransaction<
  ActorDavSchema,
  (typeof messageStores)[number][],
  M
>;

/**
 * Issues its requests at once, in the transaction it is given; resolves with
 * what it read. Writes go through `issueAll`, so one that throws at once
 * leaves none of the job's other writes' rejections unhandled.
 */
export type TransactionJob<M extends IDBTransactionMode, T> = (
  transaction: MessageTransaction<M>,
) => Promise<T>;

interface Queued<M extends IDBTransactionMode> {
  job: TransactionJob<M, unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Runs jobs in shared transactions over the message stores: the jobs that
 * arrive while one transaction is in flight all go into the next, so fifty
 * actors busy at once pay for one transaction, not fifty (group commit
 * across actors, on top of each mailbox's group commit). A `readwrite` job
 * settles only once its transaction has completed, so no answer leaves
 * before its commit; a `readonly` one as soon as its reads are back. When a
 * shared transaction fails, each job in it runs again alone, so a write
 * only one job gets wrong fails that job and no other.
 */
export class SharedTransactions<M extends IDBTransactionMode> {
  readonly #db: () => Promise<ActorDb>;
  readonly #mode: M;
  readonly #options: IDBTransactionOptions;
  #queue: Queued<M>[] = [];
  #flushing = false;

  constructor(db: () => Promise<ActorDb>, mode: M, options: IDBTransactionOptions = {}) {
    this.#db = db;
    this.#mode = mode;
    this.#options = options;
  }

  run<T>(job: TransactionJob<M, T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ job, resolve: resolve, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#queue.length > 0) {
        const jobs = this.#queue;
        this.#queue = [];
        const unsettled = await this.#attempt(jobs);
        await Promise.all(unsettled.map((one) => this.#attempt([one])));
      }
    } finally {
      this.#flushing = false;
    }
  }

  /** Runs `jobs` in one transaction; returns those to run again alone after a shared failure. */
  async #attempt(jobs: Queued<M>[]): Promise<Queued<M>[]> {
    let transaction: MessageTransaction<M>;
    try {
      const db = await this.#db();
      transaction = db.transaction([...messageStores], this.#mode, this.#options);
    } catch (error) {
      for (const one of jobs) one.reject(error);
      return [];
    }
    const settled = new Set<Queued<M>>();
    const results = jobs.map((one) => {
      const result = runJob(one.job, transaction);
      if (this.#mode === 'readonly') {
        result.then((value) => {
          settled.add(one);
          one.resolve(value);
        }, noop);
      }
      return result;
    });
    try {
      const values = await Promise.all(results);
      await transaction.done;
      jobs.forEach((one, index) => {
        if (!settled.has(one)) one.resolve(values[index]);
      });
      return [];
    } catch (error) {
      for (const result of results) result.catch(noop);
      abortQuietly(transaction);
      const [only] = jobs;
      if (jobs.length === 1 && only !== undefined) {
        if (!settled.has(only)) only.reject(error);
        return [];
      }
      return jobs.filter((one) => !settled.has(one));
    }
  }
}

// Async, so a job that throws at once rejects like one that fails later.
async function runJob<M extends IDBTransactionMode>(
  job: TransactionJob<M, unknown>,
  transaction: MessageTransaction<M>,
): Promise<unknown> {
  return job(transaction);
}

function noop(): void {}
