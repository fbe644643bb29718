import { eventChannelName, type ActorEvent } from '../events/actorEvent.ts';

/** Receives what the worker broadcasts. */
export type ActorEventListener = (event: ActorEvent) => void;

/**
 * The page's end of the worker's BroadcastChannel (`actordav`): one channel,
 * any number of listeners. A throwing listener is reported and does not stop
 * the others. Where BroadcastChannel is missing, nothing is ever heard.
 */
export class EventHub {
  readonly #listeners = new Set<ActorEventListener>();
  readonly #channel: BroadcastChannel | undefined;

  /** `observe` sees every event first (the client's own bookkeeping). */
  constructor(observe: ActorEventListener) {
    if (typeof BroadcastChannel !== 'function') return;
    this.#channel = new BroadcastChannel(eventChannelName);
    this.#channel.onmessage = (message: MessageEvent<unknown>) => {
      if (!isActorEvent(message.data)) return;
      const event = message.data;
      for (const listener of [observe, ...this.#listeners]) {
        try {
          listener(event);
        } catch (error) {
          report(error);
        }
      }
    };
  }

  subscribe(listener: ActorEventListener): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    // A wrapper per call, so subscribing the same function twice needs two unsubscribes.
    const entry: ActorEventListener = (event) => listener(event);
    this.#listeners.add(entry);
    return () => void this.#listeners.delete(entry);
  }

  close(): void {
    this.#listeners.clear();
    this.#channel?.close();
  }
}

function isActorEvent(data: unknown): data is ActorEvent {
  if (typeof data !== 'object' || data === null) return false;
  const event = data as Partial<Record<string, unknown>>;
  if (typeof event['actorId'] !== 'string') return false;
  if (event['type'] === 'receipt') return typeof event['key'] === 'string';
  return event['type'] === 'sync' && typeof event['phase'] === 'string';
}

function report(error: unknown): void {
  if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
  else console.error(error);
}
