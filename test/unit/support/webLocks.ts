/** The lock a Web Locks callback receives; this stand-in only grants exclusive locks. */
export interface FakeLock {
  readonly name: string;
  readonly mode: 'exclusive';
}

type LockCallback<T> = (lock: FakeLock) => T | Promise<T>;

/**
 * An in-process stand-in for `navigator.locks` (Node has none): exclusive
 * locks, granted per name in request order, released when the callback's
 * promise settles — the part of the Web Locks API the mailbox relies on.
 */
export class FakeLockManager {
  /** Every name requested, in request order. */
  readonly requested: string[] = [];
  readonly #tails = new Map<string, Promise<void>>();
  readonly #held = new Set<string>();

  request<T>(name: string, callback: LockCallback<T>): Promise<T>;
  request<T>(name: string, options: { mode?: 'exclusive' }, callback: LockCallback<T>): Promise<T>;
  async request<T>(
    name: string,
    optionsOrCallback: { mode?: 'exclusive' } | LockCallback<T>,
    maybeCallback?: LockCallback<T>,
  ): Promise<T> {
    const callback = typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback;
    if (callback === undefined) throw new TypeError('navigator.locks.request needs a callback');
    if (
      typeof optionsOrCallback === 'object' &&
      (optionsOrCallback.mode ?? 'exclusive') !== 'exclusive'
    ) {
      throw new TypeError('this stand-in only grants exclusive locks');
    }
    this.requested.push(name);
    const previous = this.#tails.get(name) ?? Promise.resolve();
    let release = () => {};
    const tail = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
    this.#tails.set(name, tail);
    await previous;
    this.#held.add(name);
    try {
      return await callback({ name, mode: 'exclusive' });
    } finally {
      this.#held.delete(name);
      release();
      if (this.#tails.get(name) === tail) this.#tails.delete(name);
    }
  }

  /** Whether a lock of this name is held right now. */
  isHeld(name: string): boolean {
    return this.#held.has(name);
  }
}

/** Installs a fresh stand-in as `navigator.locks` and returns it. */
export function installWebLocks(): FakeLockManager {
  const locks = new FakeLockManager();
  Object.defineProperty(globalThis, 'navigator', {
    value: { locks },
    configurable: true,
    writable: true,
  });
  return locks;
}
