/** The part of an IndexedDB transaction `commit` needs (idb's wrapper has it). */
interface Committable {
  readonly done: Promise<void>;
  abort(): void;
}

/**
 * Issues every write of one transaction and waits for it to complete: all
 * of them or none (DESIGN.md §3). A write that throws at once (say a
 * DataCloneError) would otherwise leave the writes issued before it to
 * commit; the transaction is aborted instead.
 */
export async function commit<T extends Committable>(
  transaction: T,
  writes: (transaction: T) => Promise<unknown>[],
): Promise<void> {
  try {
    await Promise.all([...writes(transaction), transaction.done]);
  } catch (error) {
    try {
      transaction.abort();
    } catch {
      // It already finished, or aborted on its own: either way nothing more commits.
    }
    throw error;
  }
}
