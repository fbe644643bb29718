/**
 * The few service-worker types the host touches, declared here so that
 * shared modules type-check under both the DOM and the WebWorker libs.
 */
export interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}

/** Hands work that must outlive the answer to the event (`waitUntil`), so the worker is not stopped under it. */
export type KeepAlive = (work: Promise<unknown>) => void;

export interface FetchEventLike extends ExtendableEventLike {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}

export interface SyncEventLike extends ExtendableEventLike {
  readonly tag: string;
}

export interface MessageEventLike extends ExtendableEventLike {
  readonly data: unknown;
}

export interface WorkerScopeLike {
  readonly location: { readonly origin: string };
  readonly registration?: { readonly sync?: { register(tag: string): Promise<void> } };
  readonly clients: { claim(): Promise<void> };
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
  addEventListener(type: 'activate', listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: 'sync', listener: (event: SyncEventLike) => void): void;
  addEventListener(type: 'message', listener: (event: MessageEventLike) => void): void;
}

/** The service worker's global scope. */
export function workerScope(): WorkerScopeLike {
  const scope: unknown = globalThis;
  return scope as WorkerScopeLike;
}
