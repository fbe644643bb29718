/** The part of an IndexedDB transaction `commit` needs (idb's wrapper has it). */
interface Committable {
  readonly done: Promise<void>;
  abort(): void;
}

/**
 * Issues every write of one transaction and waits for it to complete: all
 * of them or none ([how a request flows](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md#how-a-request-flows), step 4). A write that throws at once (say a
 * DataCloneError) would otherwise leave the writes issued before it to
 * commit; the transaction is aborted instead. `writes` yields each write as
 * it issues it, so every one issued is known, and awaited, even then.
 */
export async function commit<T extends Committable>(
  transaction: T,
  writes: (transaction: T) => Iterable<Promise<unknown>>,
): Promise<void> {
  try {
    await Promise.all([issueAll(() => writes(transaction)), transaction.done]);
  } catch (error) {
    abortQuietly(transaction);
    throw error;
  }
}

/** Issues each write `writes` yields; the one promise settles when all of them have. */
export async function issueAll(writes: () => Iterable<Promise<unknown>>): Promise<unknown[]> {
  const issued: Promise<unknown>[] = [];
  try {
    for (const write of writes()) issued.push(write);
  } catch (error) {
    // The transaction is about to be aborted, and every write issued with it rejects: expected, not unhandled.
    for (const write of issued) write.catch(() => undefined);
    throw error;
  }
  return Promise.all(issued);
}

/** Aborts a transaction whose failure the caller already holds; its `done` rejects as expected. */
export function abortQuietly(transaction: Committable): void {
  transaction.done.catch(() => undefined);
  try {
    transaction.abort();
  } catch {
    // It already finished, or aborted on its own: either way nothing more commits.
  }
}
