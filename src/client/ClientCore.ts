import type { ActorAnswer, ActorResult, MessageBody } from './ActorResult.ts';
import type { ClientConfig } from './clientOptions.ts';
import { ActorHttpError } from './errors/ActorHttpError.ts';
import { NoWorkerError } from './errors/NoWorkerError.ts';
import { keyHeader } from './keyHeader.ts';
import type { OperationStore, StoredOperation } from './OperationStore.ts';
import { requestWithRetry } from './requestWithRetry.ts';

/**
 * What the actor handles and the client share: sending a stored operation
 * until the worker answers, and reading a resource. Internal.
 */
export class ClientCore {
  readonly config: ClientConfig;
  readonly store: OperationStore;
  /** Operations this instance is sending now, so `resume()` does not double them. */
  readonly inFlight = new Set<string>();

  constructor(config: ClientConfig, store: OperationStore) {
    this.config = config;
    this.store = store;
  }

  /**
   * Stores the operation (before the first attempt, so a reload can resume
   * it), sends it until a final answer, then forgets it — or, on a 202,
   * keeps it as accepted until the worker confirms it.
   */
  async deliver<R>(operation: StoredOperation, signal?: AbortSignal): Promise<ActorResult<R>> {
    const { actorId, key } = operation;
    this.#checkController(actorId);
    this.store.put(operation);
    const id = `${actorId}\n${key}`;
    this.inFlight.add(id);
    let answer: ActorAnswer;
    try {
      answer = await requestWithRetry(
        this.config,
        {
          method: operation.method,
          path: operation.path,
          headers: {
            'content-type': 'application/json',
            'idempotency-key': keyHeader(key),
            ...(operation.ifMatch === undefined ? {} : { 'if-match': operation.ifMatch }),
          },
          body: operation.body,
        },
        { actorId, key, ...(signal === undefined ? {} : { signal }) },
      );
    } finally {
      this.inFlight.delete(id);
    }
    if (answer.status === 202) this.store.accept(actorId, key);
    else this.store.remove(actorId, key);
    if (answer.status < 200 || answer.status > 299) {
      throw new ActorHttpError(answer, { actorId, key });
    }
    const call = {
      key,
      answer: answer as ActorAnswer<MessageBody<R>>,
      receiptUrl: this.receiptPath(actorId, key),
      replayed: answer.headers['idempotent-replayed'] === 'true',
    };
    const body = call.answer.body as Partial<MessageBody<R>> | null;
    const result = (typeof body === 'object' ? body?.result : undefined) ?? null;
    if (answer.status !== 202) return { status: 'done', ...call, result: result as R };
    const problem = typeof body === 'object' ? body?.problem : undefined;
    return { status: 'pending', ...call, result, ...(problem === undefined ? {} : { problem }) };
  }

  /** GETs a resource with retries; anything but 2xx is an ActorHttpError. */
  async read(actorId: string, path: string): Promise<ActorAnswer> {
    this.#checkController(actorId);
    const answer = await requestWithRetry(
      this.config,
      { method: 'GET', path, headers: { accept: 'application/json' } },
      { actorId },
    );
    if (answer.status < 200 || answer.status > 299) throw new ActorHttpError(answer, { actorId });
    return answer;
  }

  receiptPath(actorId: string, key: string): string {
    return `${this.config.scope}${actorId}/tasks/${encodeURIComponent(key)}`;
  }

  #checkController(actorId: string): void {
    if (!this.config.requireController) return;
    const container = (globalThis.navigator as Navigator | undefined)?.serviceWorker;
    if (container?.controller == null) throw new NoWorkerError({ actorId });
  }
}
