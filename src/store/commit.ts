/** The part of an IndexedDB transaction `commit` needs (idb's wrapper has it). */
interface Committable {
  readonly done: Promise<void>;
  abort(): void;
}

/**
 * Issues every write of one transaction and waits for it to complete: all
 * of them or none (DESIGN.md §3). A write that throws at once (say a
 * DataCloneError) would otherwise leave the writes issued before it to
 * commit; the transaction is aborted instead. `writes` yields each write as
 * it issues it, so every one issued is known, and awaited, even then.
 */
export async function commit<T extends Committable>(
  transaction: T,
  writes: (transaction: T) => Iterable<Promise<unknown>>,
): Promise<void> {
  const issued: Promise<unknown>[] = [];
  try {
    for (const write of writes(transaction)) issued.push(write);
    await Promise.all([...issued, transaction.done]);
  } catch (error) {
    // After an abort, every issued write and `done` reject: they are expected, not unhandled.
    for (const write of [...issued, transaction.done]) write.catch(() => undefined);
    try {
      transaction.abort();
    } catch {
      // It already finished, or aborted on its own: either way nothing more commits.
    }
    throw error;
  }
}
