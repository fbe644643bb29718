/** A promise with its resolve function outside, to hold a command or a batch until a test lets go. */
export interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

/** Lets pending IndexedDB requests and timers run (fake-indexeddb schedules on the macrotask queue). */
export function settle(ms = 30): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A database name no other test uses. */
export function uniqueDbName(): string {
  return `actordav-test-${crypto.randomUUID()}`;
}
