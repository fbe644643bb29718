import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReceiptEvent } from '../../../src/events/actorEvent.ts';
import { tabEvents } from '../../../src/host/tabEvents.ts';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const event = (seq: number): ReceiptEvent => ({
  type: 'receipt',
  actorId: 'a',
  key: `k${seq}`,
  seq,
  status: 'done',
  answerStatus: 201,
});

/** A BroadcastChannel stand-in that records what is posted, and fails the posts `fails` names. */
function stubChannel(fails: (message: unknown) => boolean = () => false) {
  const posted: { name: string; message: unknown }[] = [];
  class Channel {
    readonly #name: string;
    constructor(name: string) {
      this.#name = name;
    }
    postMessage(message: unknown) {
      if (fails(message)) throw new Error('not cloneable');
      posted.push({ name: this.#name, message });
    }
  }
  vi.stubGlobal('BroadcastChannel', Channel);
  return posted;
}

const nextTask = () => new Promise((resolve) => setTimeout(resolve));

describe('tabEvents', () => {
  it('posts on the actordav channel in a later task, in order', async () => {
    const posted = stubChannel();
    const emit = tabEvents();
    emit(event(1));
    emit(event(2));
    expect(posted).toEqual([]);
    await nextTask();
    expect(posted).toEqual([
      { name: 'actordav', message: event(1) },
      { name: 'actordav', message: event(2) },
    ]);
  });

  it('warns of a post that fails and still posts what comes after it', async () => {
    const posted = stubChannel((message) => (message as ReceiptEvent).seq === 1);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const emit = tabEvents();
    emit(event(1));
    await nextTask();
    emit(event(2));
    await nextTask();
    expect(warn).toHaveBeenCalledWith('actordav: could not tell the tabs', expect.any(Error));
    expect(posted.map(({ message }) => message)).toEqual([event(2)]);
  });

  it('drops events quietly where there is no BroadcastChannel', async () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    const warn = vi.spyOn(console, 'warn');
    tabEvents()(event(1));
    await nextTask();
    expect(warn).not.toHaveBeenCalled();
  });
});
