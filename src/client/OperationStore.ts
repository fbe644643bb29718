/** An unsafe call kept until the worker's answer makes it safe to forget. */
export interface StoredOperation {
  actorId: string;
  key: string;
  /** The caller's intent id; without one, the request itself identifies the operation. */
  intent?: string;
  method: string;
  path: string;
  ifMatch?: string;
  /** The exact body text: a resend must match the worker's fingerprint. */
  body: string;
  /** `sending`: no answer yet; `accepted`: answered 202, the worker is syncing it. */
  stage: 'sending' | 'accepted';
  createdAt: number;
}

const prefix = 'actordav:op:';

/**
 * Unfinished calls in Web Storage, one item per (scope, actor, key), named
 * after the receipt's path so that tabs never overwrite each other's items.
 * Storage errors (quota, privacy modes) only lose the ability to resume: the
 * call itself goes on, and a warning says so once.
 */
export class OperationStore {
  readonly #storage: Storage | null;
  readonly #scope: string;
  #warned = false;

  constructor(storage: Storage | null, scope: string) {
    this.#storage = storage;
    this.#scope = scope;
  }

  /** Every stored operation of this scope, oldest first; of one actor when given. */
  list(actorId?: string): StoredOperation[] {
    const storage = this.#storage;
    if (storage === null) return [];
    const found: StoredOperation[] = [];
    try {
      for (let i = 0; i < storage.length; i++) {
        const name = storage.key(i);
        if (name === null || !name.startsWith(prefix + this.#scope)) continue;
        const operation = parse(storage.getItem(name));
        if (operation !== undefined && (actorId === undefined || operation.actorId === actorId)) {
          found.push(operation);
        }
      }
    } catch (error) {
      this.#warn(error);
    }
    return found.sort((a, b) => a.createdAt - b.createdAt);
  }

  get(actorId: string, key: string): StoredOperation | undefined {
    try {
      return parse(this.#storage?.getItem(this.#name(actorId, key)) ?? null);
    } catch (error) {
      this.#warn(error);
      return undefined;
    }
  }

  put(operation: StoredOperation): void {
    try {
      this.#storage?.setItem(
        this.#name(operation.actorId, operation.key),
        JSON.stringify(operation),
      );
    } catch (error) {
      this.#warn(error);
    }
  }

  /** Marks a stored operation accepted; does nothing if it is gone (e.g. confirmed meanwhile). */
  accept(actorId: string, key: string): void {
    const operation = this.get(actorId, key);
    if (operation !== undefined) this.put({ ...operation, stage: 'accepted' });
  }

  remove(actorId: string, key: string): void {
    try {
      this.#storage?.removeItem(this.#name(actorId, key));
    } catch (error) {
      this.#warn(error);
    }
  }

  #name(actorId: string, key: string): string {
    return `${prefix}${this.#scope}${actorId}/tasks/${encodeURIComponent(key)}`;
  }

  #warn(error: unknown): void {
    if (this.#warned) return;
    this.#warned = true;
    console.warn(
      'actordav: cannot keep keys of unfinished calls; a reload may not resume them',
      error,
    );
  }
}

function parse(text: string | null): StoredOperation | undefined {
  if (text === null) return undefined;
  try {
    const value = JSON.parse(text) as Partial<StoredOperation> | null;
    const valid =
      typeof value?.actorId === 'string' &&
      typeof value.key === 'string' &&
      typeof value.method === 'string' &&
      typeof value.path === 'string' &&
      typeof value.body === 'string' &&
      (value.stage === 'sending' || value.stage === 'accepted') &&
      typeof value.createdAt === 'number';
    return valid ? (value as StoredOperation) : undefined;
  } catch {
    return undefined;
  }
}
