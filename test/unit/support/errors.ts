import { expect } from 'vitest';
import { isActorError } from '../../../src/errors/ActorError.ts';
import type { ProblemCode } from '../../../src/errors/problemCodes.ts';

/** Runs `run` and returns what it threw, failing the test if it did not throw. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

/** Asserts that `run` throws an ActorError with this code. */
export function expectCode(run: () => unknown, code: ProblemCode): void {
  const error = thrownBy(run);
  expect(isActorError(error) ? error.code : error).toBe(code);
}

/** Asserts that `promise` rejects with an ActorError with this code. */
export async function expectRejectCode(
  promise: Promise<unknown>,
  code: ProblemCode,
): Promise<void> {
  const error: unknown = await promise.then(
    () => new Error('expected the promise to reject'),
    (reason: unknown) => reason,
  );
  expect(isActorError(error) ? error.code : error).toBe(code);
}
