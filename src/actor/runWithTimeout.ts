import { ActorError } from '../errors/ActorError.ts';

/**
 * Runs a turn, failing it with `turn-timeout` after `timeoutMs`. A command
 * stuck in a synchronous loop cannot be interrupted in JavaScript; a stuck
 * promise can, and must not hold the actor's lock forever ([invariants](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md#invariants)).
 */
export async function runWithTimeout<T>(turn: () => T | Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new ActorError('turn-timeout', `The command ran longer than ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(turn), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
