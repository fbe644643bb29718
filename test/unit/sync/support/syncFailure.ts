import { isSyncError, type SyncErrorCode } from '../../../../src/errors/SyncError.ts';

/** What `promise` rejected with, when it is a SyncError; any other outcome fails the test. */
export async function syncFailure(
  promise: Promise<unknown>,
): Promise<{ code: SyncErrorCode; retryable: boolean; message: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isSyncError(error)) throw new Error(`expected a SyncError, got ${String(error)}`);
  return { code: error.code, retryable: error.retryable, message: error.message };
}
