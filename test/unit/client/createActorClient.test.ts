import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ActorEvent } from '../../../src/client.ts';
import { createActorClient, type ActorClientOptions } from '../../../src/client.ts';
import {
  failedToFetch,
  fakeWorker,
  json,
  keyOf,
  MemoryStorage,
  problem,
  scriptedFetch,
} from './support.ts';

const clients: { close(): void }[] = [];
const open = (options: ActorClientOptions) => {
  const client = createActorClient({ requireController: false, syncOnOnline: false, ...options });
  clients.push(client);
  return client;
};
const fast = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 };
const stored = (storage: Storage) =>
  Array.from({ length: storage.length }, (_, i) => storage.key(i)!).map(
    (name) => JSON.parse(storage.getItem(name)!) as { key: string; stage: string; intent?: string },
  );

afterEach(() => {
  while (clients.length > 0) clients.pop()?.close();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('actor(id) calls', () => {
  let worker: ReturnType<typeof fakeWorker>;
  let storage: MemoryStorage;
  beforeEach(() => {
    worker = fakeWorker();
    storage = new MemoryStorage();
  });

  it('send: PUT tasks with a fresh quoted key, resolving done and forgetting the key', async () => {
    const client = open({ fetch: worker.fetch, storage });
    const result = await client.actor('ada').send({ drink: 'flat white' });
    const [request] = worker.seen;
    expect(request).toMatchObject({
      method: 'PUT',
      path: '/actors/ada/tasks',
      body: '{"drink":"flat white"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(request!.headers['idempotency-key']).toMatch(/^"[0-9a-f-]{36}"$/);
    expect(result).toMatchObject({
      status: 'done',
      key: keyOf(request!),
      replayed: false,
      receiptUrl: `/actors/ada/tasks/${keyOf(request!)}`,
      answer: { status: 201, body: { status: 'done', result: { n: 1 } } },
    });
    expect(storage.length).toBe(0);
  });

  it('execute, setState, state, status and receipt speak the worker’s HTTP surface', async () => {
    const client = open({ fetch: worker.fetch, storage, scope: '/shop/actors/' });
    const ada = client.actor('ada');
    await ada.execute('pour', { drink: 'mocha', type: 'ignored' }, { key: 'k/1"x"' });
    await ada.setState({ open: true }, { ifMatch: '"e1"', key: 'k2' });
    expect(await ada.state()).toEqual({ state: { tasks: [] }, etag: '"e1"' });
    expect(await ada.status()).toMatchObject({ id: 'ada', pending: 0 });
    expect(await ada.receipt('k2')).toMatchObject({ key: 'k2', status: 'done' });
    expect(worker.seen.map((s) => [s.method, s.path])).toEqual([
      ['POST', '/shop/actors/ada/execute'],
      ['PUT', '/shop/actors/ada/state'],
      ['GET', '/shop/actors/ada/state'],
      ['GET', '/shop/actors/ada/status'],
      ['GET', '/shop/actors/ada/tasks/k2'],
    ]);
    expect(worker.seen[0]!.body).toBe('{"drink":"mocha","type":"pour"}');
    expect(worker.seen[0]!.headers['idempotency-key']).toBe('"k/1\\"x\\""');
    expect(worker.seen[1]!.headers['if-match']).toBe('"e1"');
  });

  it('refuses bad arguments before sending anything', async () => {
    const client = open({ fetch: worker.fetch, storage });
    expect(() => client.actor('../etc')).toThrow(TypeError);
    expect(() => client.actor('')).toThrow(/actor id/);
    const ada = client.actor('ada');
    await expect(ada.send([] as never)).rejects.toThrow(/task must be a JSON object/);
    await expect(ada.execute('')).rejects.toThrow(TypeError);
    await expect(ada.send({}, { key: 'a b' })).rejects.toThrow(/options\.key/);
    await expect(ada.send({}, { intent: '' })).rejects.toThrow(/options\.intent/);
    await expect(ada.setState({}, { ifMatch: '' })).rejects.toThrow(/options\.ifMatch/);
    await expect(ada.receipt('..')).rejects.toThrow(/key/);
    expect(worker.seen).toHaveLength(0);
  });

  it('rejects a 4xx with a typed error carrying the problem, and forgets the key', async () => {
    const { fetch } = scriptedFetch(problem(422, 'key-reused', 'the body differs'));
    const client = open({ fetch, storage });
    const error = await client
      .actor('ada')
      .send({ drink: 'tea' }, { key: 'k1' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'ActorHttpError',
      code: 'key-reused',
      status: 422,
      detail: 'the body differs',
      key: 'k1',
      actorId: 'ada',
      problem: { code: 'key-reused', status: 422 },
    });
    expect(storage.length).toBe(0);
  });

  it('retries a network error and a 503 under the same key', async () => {
    let calls = 0;
    const { fetch, seen } = scriptedFetch(() => {
      calls += 1;
      if (calls === 1) return failedToFetch();
      if (calls === 2) return problem(503, 'too-many-pending', 'busy', { 'retry-after': '0' });
      return json(201, {});
    });
    const client = open({ fetch, storage, retry: fast });
    const result = await client.actor('ada').send({ drink: 'tea' });
    expect(seen).toHaveLength(3);
    expect(new Set(seen.map(keyOf)).size).toBe(1);
    expect(result.key).toBe(keyOf(seen[0]!));
  });

  it('refuses to send while no worker controls the page (NoWorkerError), storing nothing', async () => {
    vi.stubGlobal('navigator', { serviceWorker: { controller: null } });
    const client = open({ fetch: worker.fetch, storage, requireController: true });
    await expect(client.actor('ada').send({})).rejects.toMatchObject({
      name: 'NoWorkerError',
      code: 'no-worker',
    });
    expect(worker.seen).toHaveLength(0);
    expect(storage.length).toBe(0);
  });
});

describe('keys across a reload', () => {
  it('a fresh client over the same storage reuses the key of an unanswered identical request', async () => {
    const storage = new MemoryStorage();
    const worker = fakeWorker();
    worker.down = true;
    const before = open({ fetch: worker.fetch, storage, retry: fast });
    await expect(before.actor('ada').send({ drink: 'tea' })).rejects.toMatchObject({
      code: 'retries-exhausted',
    });
    expect(stored(storage)).toMatchObject([{ stage: 'sending' }]);
    const { key } = stored(storage)[0]!;
    before.close();

    worker.down = false; // "reload": a new client instance, the same localStorage
    const after = open({ fetch: worker.fetch, storage, retry: fast });
    const result = await after.actor('ada').send({ drink: 'tea' });
    expect(result.key).toBe(key);
    expect(worker.effects).toBe(1);
    expect(new Set(worker.seen.map(keyOf))).toEqual(new Set([key]));
    expect(storage.length).toBe(0);
  });

  it('resume() re-sends stored calls with their keys; a second resume finds nothing', async () => {
    const storage = new MemoryStorage();
    const worker = fakeWorker();
    worker.down = true;
    const before = open({ fetch: worker.fetch, storage, retry: fast });
    const ada = before.actor('ada');
    await Promise.allSettled([ada.send({ drink: 'tea' }), ada.execute('pour', { drink: 'mocha' })]);
    const keys = stored(storage).map((operation) => operation.key);
    expect(keys).toHaveLength(2);

    worker.down = false;
    const after = open({ fetch: worker.fetch, storage });
    const resumed = await after.resume();
    expect(resumed.map((r) => r.outcome.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(new Set(resumed.map((r) => r.operation.key))).toEqual(new Set(keys));
    expect(resumed.map((r) => r.operation.stage)).toEqual(['unsent', 'unsent']);
    expect(worker.effects).toBe(2);
    expect(await after.resume()).toEqual([]);
  });

  it('an intent keeps its key also after a 202, so a re-run after reload is a replay', async () => {
    const storage = new MemoryStorage();
    const worker = fakeWorker();
    worker.confirm = false;
    const first = await open({ fetch: worker.fetch, storage })
      .actor('ada')
      .send({ drink: 'tea' }, { intent: 'order-1' });
    expect(first).toMatchObject({ status: 'pending', answer: { status: 202 } });
    expect(stored(storage)).toMatchObject([{ stage: 'accepted', intent: 'order-1' }]);

    const again = await open({ fetch: worker.fetch, storage })
      .actor('ada')
      .send({ drink: 'tea' }, { intent: 'order-1' });
    expect(again).toMatchObject({ key: first.key, replayed: true, status: 'pending' });
    expect(worker.effects).toBe(1);
  });

  it('an intent is one operation online as offline: one key, one effect', async () => {
    const storage = new MemoryStorage();
    const online = fakeWorker(); // answers 201: the call is final and forgotten at once
    const a = await open({ fetch: online.fetch, storage })
      .actor('ada')
      .send({ drink: 'tea' }, { intent: 'order-1' });
    const b = await open({ fetch: online.fetch, storage })
      .actor('ada')
      .send({ drink: 'tea' }, { intent: 'order-1' });
    expect(b).toMatchObject({ key: a.key, replayed: true, status: 'done' });
    expect(online.effects).toBe(1);

    const offline = fakeWorker();
    offline.confirm = false; // answers 202, then a sync round confirms it
    const client = open({ fetch: offline.fetch, storage: new MemoryStorage() });
    const c = await client.actor('ada').send({ drink: 'tea' }, { intent: 'order-1' });
    offline.confirmAll();
    // Another tab, or this one once the done receipt made it forget the call: nothing stored.
    const d = await open({ fetch: offline.fetch, storage: new MemoryStorage() })
      .actor('ada')
      .send({ drink: 'tea' }, { intent: 'order-1' });
    expect(d).toMatchObject({ key: c.key, replayed: true });
    expect(offline.effects).toBe(1);
    // Another actor, the same intent: another operation.
    const other = await client.actor('bob').send({ drink: 'tea' }, { intent: 'order-1' });
    expect(offline.effects).toBe(2);
    expect(other.replayed).toBe(false);
  });

  it('without an intent, two identical orders after their 202s are two orders', async () => {
    const worker = fakeWorker();
    worker.confirm = false;
    const ada = open({ fetch: worker.fetch, storage: new MemoryStorage() }).actor('ada');
    const one = await ada.send({ drink: 'tea' });
    const two = await ada.send({ drink: 'tea' });
    expect(one.key).not.toBe(two.key);
    expect(worker.effects).toBe(2);
  });

  it('keeps working, without resuming, when storage throws', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const storage = new MemoryStorage();
    storage.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    const worker = fakeWorker();
    const result = await open({ fetch: worker.fetch, storage }).actor('ada').send({ drink: 'tea' });
    expect(result.status).toBe('done');
    expect(warn).toHaveBeenCalledOnce();
  });
});

describe('events, pending and sync', () => {
  it('subscribe() hears the worker’s BroadcastChannel; a done receipt forgets the stored key', async () => {
    const storage = new MemoryStorage();
    const worker = fakeWorker();
    worker.confirm = false;
    const client = open({ fetch: worker.fetch, storage });
    const heard: ActorEvent[] = [];
    const bad = vi.fn(() => {
      throw new Error('listener bug');
    });
    const reportError = vi.fn();
    vi.stubGlobal('reportError', reportError);
    client.subscribe(bad);
    const stop = client.subscribe((event) => heard.push(event));
    const { key } = await client.actor('ada').send({ drink: 'tea' });
    expect(storage.length).toBe(1);

    const channel = new BroadcastChannel('actordav');
    const done = {
      type: 'receipt',
      actorId: 'ada',
      key,
      seq: 1,
      status: 'done',
      answerStatus: 201,
    };
    channel.postMessage({ nonsense: true });
    channel.postMessage(done);
    await vi.waitFor(() => expect(heard).toEqual([done]));
    expect(storage.length).toBe(0);
    expect(reportError).toHaveBeenCalledOnce();
    stop();
    channel.postMessage({ ...done, key: 'other' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(heard).toHaveLength(1);
    channel.close();
  });

  it('pending() reports the worker’s count and the keys not confirmed yet, by stage', async () => {
    const storage = new MemoryStorage();
    const worker = fakeWorker();
    worker.confirm = false;
    const client = open({ fetch: worker.fetch, storage, retry: fast });
    const accepted = await client.actor('ada').send({ drink: 'tea' });
    worker.down = true;
    await client
      .actor('ada')
      .send({ drink: 'mocha' })
      .catch(() => undefined);
    worker.down = false;

    const [ada] = await client.pending();
    expect(ada).toMatchObject({ actorId: 'ada', unconfirmed: 1, syncing: false, lastError: null });
    expect(ada!.operations.map((o) => [o.stage, o.method, o.path])).toEqual([
      ['unconfirmed', 'PUT', '/actors/ada/tasks'],
      ['unsent', 'PUT', '/actors/ada/tasks'],
    ]);
    expect(ada!.operations[0]!.key).toBe(accepted.key);

    worker.confirmAll();
    worker.confirm = true;
    await client.resume();
    expect(await client.pending('ada')).toMatchObject([{ unconfirmed: 0, operations: [] }]);
    expect(storage.length).toBe(0);
  });

  it('syncNow() and the online event post an urgent {type: "actordav:sync"} to the controller', () => {
    const postMessage = vi.fn();
    vi.stubGlobal('navigator', { serviceWorker: { controller: { postMessage } } });
    const target = new EventTarget();
    vi.stubGlobal('addEventListener', target.addEventListener.bind(target));
    vi.stubGlobal('removeEventListener', target.removeEventListener.bind(target));
    const client = open({ storage: null, syncOnOnline: true });
    expect(client.syncNow()).toBe(true);
    target.dispatchEvent(new Event('online'));
    expect(postMessage.mock.calls).toEqual([
      [{ type: 'actordav:sync', urgent: true }],
      [{ type: 'actordav:sync', urgent: true }],
    ]);
    client.close();
    target.dispatchEvent(new Event('online'));
    expect(postMessage).toHaveBeenCalledTimes(2);
    vi.stubGlobal('navigator', { serviceWorker: { controller: null } });
    expect(client.syncNow()).toBe(false);
  });

  it('nudges the worker every syncIntervalMs while a sync event counts unconfirmed messages', async () => {
    vi.useFakeTimers();
    const postMessage = vi.fn();
    vi.stubGlobal('navigator', { serviceWorker: { controller: { postMessage } } });
    const client = open({ storage: null, syncOnOnline: false, syncIntervalMs: 1000 });
    const stop = client.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(3000);
    expect(postMessage).not.toHaveBeenCalled();
    const channel = new BroadcastChannel('actordav');
    const sync = {
      type: 'sync',
      actorId: 'ada',
      phase: 'failed',
      version: 0,
      error: null,
    } as const;
    channel.postMessage({ ...sync, pending: 2 } satisfies ActorEvent);
    await vi.advanceTimersByTimeAsync(50);
    await vi.advanceTimersByTimeAsync(2000);
    expect(postMessage.mock.calls.length).toBeGreaterThanOrEqual(1);
    expect(postMessage).toHaveBeenLastCalledWith({ type: 'actordav:sync', urgent: false });
    channel.postMessage({ ...sync, phase: 'synced', pending: 0 } satisfies ActorEvent);
    await vi.advanceTimersByTimeAsync(50);
    const calls = postMessage.mock.calls.length;
    await vi.advanceTimersByTimeAsync(3000);
    expect(postMessage).toHaveBeenCalledTimes(calls);
    channel.close();
    stop();
    client.close();
    vi.useRealTimers();
  });
});
