import '../setup.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Commands } from '../../../src/actor/command.ts';
import { createActorHost } from '../../../src/host/createActorHost.ts';
import type { FetchEventLike } from '../../../src/host/workerScope.ts';
import { fingerprint } from '../../../src/idempotency/fingerprint.ts';
import { Mailbox } from '../../../src/mailbox/Mailbox.ts';
import { dumpStores } from '../support/database.ts';
import { deferred, settle } from '../support/deferred.ts';
import { testCommands, testHost } from '../support/host.ts';
import { actorRequest, json, origin, snapshot } from '../support/requests.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

const milk = { title: 'milk' };

// Every IndexedDB transaction the host opens, to see commits, and every letter the mailbox takes.
const transactionSpy = vi.spyOn(IDBDatabase.prototype, 'transaction');
const submitSpy = vi.spyOn(Mailbox.prototype, 'submit');
beforeEach(() => {
  transactionSpy.mockClear();
  submitSpy.mockClear();
});

/** Waits until `count` more requests have reached the mailbox. */
async function untilQueued(count: number): Promise<void> {
  const target = submitSpy.mock.calls.length + count;
  await vi.waitFor(() => expect(submitSpy.mock.calls.length).toBeGreaterThanOrEqual(target));
  await settle(30);
}

describe('receipt lifecycle', () => {
  it('answers a first task 201 and stores it done, expiring receiptTtlMs after it was made', async () => {
    const { send, dbName } = testHost({ receiptTtlMs: 60_000 });
    const before = Date.now();
    const response = await send('PUT', '/actors/a/tasks', { key: 'k1', body: milk });
    const sent = await snapshot(response);
    expect(sent.status).toBe(201);
    expect(response.headers.get('location')).toBe('/actors/a/tasks/k1');
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.has('idempotent-replayed')).toBe(false);

    const { actors, receipts, outbox } = await dumpStores(dbName);
    expect(receipts).toHaveLength(1);
    const receipt = receipts[0];
    expect(receipt).toMatchObject({ actorId: 'a', key: 'k1', seq: 1, status: 'done' });
    expect(receipt?.answer).toEqual(sent);
    expect(receipt?.createdAt).toBeGreaterThanOrEqual(before);
    expect(receipt?.createdAt).toBeLessThanOrEqual(Date.now());
    expect(receipt?.expiresAt).toBe((receipt?.createdAt ?? NaN) + 60_000);
    const body = new TextEncoder().encode(JSON.stringify(milk));
    expect(receipt?.fingerprint).toBe(await fingerprint('PUT', '/actors/a/tasks', undefined, body));

    const entry = { key: 'k1', task: milk, at: receipt?.createdAt };
    expect(JSON.parse(sent.body)).toEqual({ key: 'k1', status: 'done', result: entry });
    expect(actors).toEqual([
      expect.objectContaining({ id: 'a', seq: 1, state: { tasks: [entry] } }),
    ]);
    expect(outbox).toEqual([]);
  });

  it('replays the same request byte for byte with Idempotent-Replayed: true, and no second effect', async () => {
    const { send, dbName } = testHost();
    const first = await snapshot(await send('PUT', '/actors/a/tasks', { key: 'k1', body: milk }));
    const again = await send('PUT', '/actors/a/tasks', { key: 'k1', body: milk });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await snapshot(again)).toEqual(first);
    // The same key as a query parameter or a bare token is the same key.
    const byQuery = await send('PUT', '/actors/a/tasks?Idempotency-Key=k1', { body: milk });
    expect(byQuery.headers.get('idempotent-replayed')).toBe('true');
    expect(await snapshot(byQuery)).toEqual(first);
    const byToken = await send('PUT', '/actors/a/tasks', {
      body: milk,
      headers: { 'idempotency-key': 'k1' },
    });
    expect(await snapshot(byToken)).toEqual(first);

    const { actors, receipts } = await dumpStores(dbName);
    expect(receipts).toHaveLength(1);
    expect(actors[0]?.state['tasks']).toHaveLength(1);
  });

  it('refuses the same key for another request with 422 key-reused and changes nothing', async () => {
    const { commands } = testCommands();
    const { send, dbName } = testHost({ commands });
    await send('PUT', '/actors/a/tasks', { key: 'k1', body: milk });
    const before = await dumpStores(dbName);
    const otherBody = await send('PUT', '/actors/a/tasks', { key: 'k1', body: { title: 'eggs' } });
    expect(otherBody.status).toBe(422);
    expect(otherBody.headers.get('content-type')).toBe('application/problem+json');
    expect(await json(otherBody)).toMatchObject({
      code: 'key-reused',
      instance: '/actors/a/tasks',
    });
    const otherResource = await send('POST', '/actors/a/execute', {
      key: 'k1',
      body: { type: 'record', value: 1 },
    });
    expect(otherResource.status).toBe(422);
    expect(await dumpStores(dbName)).toEqual(before);
  });

  it('scopes keys per actor', async () => {
    const { send } = testHost();
    expect((await send('PUT', '/actors/a/tasks', { key: 'k', body: milk })).status).toBe(201);
    const other = await send('PUT', '/actors/b/tasks', { key: 'k', body: milk });
    expect(other.status).toBe(201);
    expect(other.headers.has('idempotent-replayed')).toBe(false);
  });

  it('answers execute 200 with the command result and keeps the state', async () => {
    const { commands } = testCommands();
    const { send, dbName } = testHost({ commands });
    const response = await send('POST', '/actors/a/execute', {
      key: 'k',
      body: { type: 'record', value: 'x' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.has('location')).toBe(false);
    expect(await json(response)).toEqual({ key: 'k', status: 'done', result: { length: 1 } });
    expect((await dumpStores(dbName)).actors[0]?.state).toEqual({ log: ['x'] });
  });

  it('stores a command rejection as failed (409) and replays it without running the command again', async () => {
    const { commands, runs } = testCommands();
    const { send, dbName } = testHost({ commands, receiptTtlMs: 5000 });
    const first = await send('POST', '/actors/a/execute', { key: 'k', body: { type: 'fail' } });
    expect(first.status).toBe(409);
    expect(first.headers.get('content-type')).toBe('application/problem+json');
    const answer = await snapshot(first);
    expect(JSON.parse(answer.body)).toMatchObject({
      code: 'command-rejected',
      status: 409,
      detail: 'out of stock',
      instance: '/actors/a/tasks/k',
    });

    const { receipts, actors } = await dumpStores(dbName);
    expect(receipts).toEqual([
      expect.objectContaining({ key: 'k', status: 'failed', seq: 1, answer }),
    ]);
    expect(receipts[0]?.expiresAt).toBe((receipts[0]?.createdAt ?? NaN) + 5000);
    expect(actors.every((actor) => Object.keys(actor.state).length === 0)).toBe(true);

    const replay = await send('POST', '/actors/a/execute', { key: 'k', body: { type: 'fail' } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await snapshot(replay)).toEqual(answer);
    expect(runs.fail).toBe(1);
  });

  it('matches If-Match: * on an actor never written, whose state is {}', async () => {
    const { send } = testHost({});
    const fresh = await send('PUT', '/actors/a/state', {
      key: 's0',
      body: { v: 1 },
      headers: { 'if-match': '*' },
    });
    expect(fresh.status).toBe(200);
  });

  it('stores a command that runs past turnTimeoutMs as failed with turn-timeout (500)', async () => {
    const { send, dbName } = testHost({
      commands: { stuck: () => new Promise<never>(() => {}) },
      turnTimeoutMs: 20,
    });
    const first = await snapshot(
      await send('POST', '/actors/a/execute', { key: 'k', body: { type: 'stuck' } }),
    );
    expect(first.status).toBe(500);
    expect(JSON.parse(first.body)).toMatchObject({ code: 'turn-timeout' });
    expect((await dumpStores(dbName)).receipts).toEqual([
      expect.objectContaining({ status: 'failed' }),
    ]);
    const replay = await send('POST', '/actors/a/execute', { key: 'k', body: { type: 'stuck' } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await snapshot(replay)).toEqual(first);
  });

  it('forgets an expired receipt: it is 404, swept, and the key runs again', async () => {
    const { commands, runs } = testCommands();
    const { host, send, dbName } = testHost({ commands, receiptTtlMs: 20 });
    const body = { type: 'record', value: 1 };
    await send('POST', '/actors/a/execute', { key: 'k', body });
    await settle(40);
    // The host's own background sweep may get there first, so the count is not the point: the store is.
    await host.sweep();
    expect((await dumpStores(dbName)).receipts).toEqual([]);
    const receipt = await send('GET', '/actors/a/tasks/k');
    expect(receipt.status).toBe(404);
    expect(await json(receipt)).toMatchObject({ code: 'receipt-not-found' });
    const again = await send('POST', '/actors/a/execute', { key: 'k', body });
    expect(again.status).toBe(200);
    expect(again.headers.has('idempotent-replayed')).toBe(false);
    expect(runs.record).toBe(2);
  });
});

describe('storage failures', () => {
  /** Makes every `put` into the receipts store throw, as a full disk would, until restored. */
  function failReceiptPuts(error: DOMException) {
    // Taken unbound on purpose: it is called with each store as `this` below.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const put = IDBObjectStore.prototype.put;
    return vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
      this: IDBObjectStore,
      ...args: Parameters<IDBObjectStore['put']>
    ) {
      if (this.name === 'receipts') throw error;
      return put.apply(this, args);
    });
  }

  it('answers 507 storage-full when the commit hits the quota, and 500 for another failure', async () => {
    const { send } = testHost();
    const quota = failReceiptPuts(new DOMException('full', 'QuotaExceededError'));
    const full = await send('PUT', '/actors/a/tasks', { key: 'k1', body: milk });
    quota.mockRestore();
    expect(full.status).toBe(507);
    expect(await json(full)).toMatchObject({ code: 'storage-full' });
    const other = failReceiptPuts(new DOMException('bad key', 'DataError'));
    const failed = await send('PUT', '/actors/a/tasks', { key: 'k2', body: milk });
    other.mockRestore();
    expect(failed.status).toBe(500);
    expect(await json(failed)).toMatchObject({ code: 'internal-error' });
  });

  it('answers 507 to Firefox’s InvalidStateError right after a full disk, and 500 to any other', async () => {
    const { send } = testHost();
    const message =
      'A mutation operation was attempted on a database that did not allow mutations.';
    const readOnly = failReceiptPuts(new DOMException(message, 'InvalidStateError'));
    const full = await send('PUT', '/actors/a/tasks', { key: 'k1', body: milk });
    readOnly.mockRestore();
    expect(full.status).toBe(507);
    expect(await json(full)).toMatchObject({ code: 'storage-full' });
    const closing = failReceiptPuts(
      new DOMException('The database is closing', 'InvalidStateError'),
    );
    const failed = await send('PUT', '/actors/a/tasks', { key: 'k2', body: milk });
    closing.mockRestore();
    expect(failed.status).toBe(500);
  });

  it('stores nothing when the commit fails part-way, so a retry has one effect', async () => {
    const { send, dbName } = testHost();
    const quota = failReceiptPuts(new DOMException('full', 'QuotaExceededError'));
    const refused = await send('PUT', '/actors/a/tasks', { key: 'k', body: milk });
    quota.mockRestore();
    expect(refused.status).toBe(507);
    await settle();
    expect(await dumpStores(dbName)).toEqual({ actors: [], receipts: [], outbox: [] });
    expect((await send('PUT', '/actors/a/tasks', { key: 'k', body: milk })).status).toBe(201);
    expect((await dumpStores(dbName)).actors[0]?.state['tasks']).toHaveLength(1);
  });
});

describe('concurrency through the mailbox', () => {
  it('runs concurrent duplicates once and answers them identically', async () => {
    const { commands, runs } = testCommands();
    const { send, dbName } = testHost({ commands });
    const request = () =>
      send('POST', '/actors/a/execute', { key: 'k', body: { type: 'record', value: 1 } });
    const responses = await Promise.all([request(), request(), request()]);
    const snapshots = await Promise.all(responses.map(snapshot));
    expect(snapshots[0]?.status).toBe(200);
    expect(snapshots[1]).toEqual(snapshots[0]);
    expect(snapshots[2]).toEqual(snapshots[0]);
    const replayed = responses.filter((r) => r.headers.get('idempotent-replayed') === 'true');
    expect(replayed).toHaveLength(2);
    expect(runs.record).toBe(1);
    expect((await dumpStores(dbName)).actors[0]?.state).toEqual({ log: [1] });
  });

  it('makes a duplicate wait for the first while it runs (onDuplicateInFlight: wait)', async () => {
    const { commands, runs, armGate } = testCommands();
    const { send } = testHost({ commands });
    const gate = armGate();
    const first = send('POST', '/actors/a/execute', { key: 'g', body: { type: 'gate' } });
    await gate.running;
    const duplicate = send('POST', '/actors/a/execute', { key: 'g', body: { type: 'gate' } });
    await settle();
    gate.release();
    const [one, two] = await Promise.all([first, duplicate]);
    expect(two.headers.get('idempotent-replayed')).toBe('true');
    expect(await snapshot(two)).toEqual(await snapshot(one));
    expect(runs.gate).toBe(1);
  });

  it('refuses a duplicate in flight with 409 key-in-flight when configured to reject', async () => {
    const { commands, armGate } = testCommands();
    const { send, dbName } = testHost({ commands, onDuplicateInFlight: 'reject' });
    const gate = armGate();
    const first = send('POST', '/actors/a/execute', { key: 'g', body: { type: 'gate' } });
    await gate.running;
    const duplicate = await send('POST', '/actors/a/execute', { key: 'g', body: { type: 'gate' } });
    expect(duplicate.status).toBe(409);
    expect(await json(duplicate)).toMatchObject({ code: 'key-in-flight' });
    gate.release();
    const original = await snapshot(await first);
    expect(original.status).toBe(200);
    const retry = await send('POST', '/actors/a/execute', { key: 'g', body: { type: 'gate' } });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await snapshot(retry)).toEqual(original);
    expect((await dumpStores(dbName)).receipts).toHaveLength(1);
  });

  it('answers one concurrent duplicate with another body 422, the other runs', async () => {
    const { commands, runs } = testCommands();
    const { send } = testHost({ commands });
    const responses = await Promise.all([
      send('POST', '/actors/a/execute', { key: 'k', body: { type: 'record', value: 1 } }),
      send('POST', '/actors/a/execute', { key: 'k', body: { type: 'record', value: 2 } }),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([200, 422]);
    expect(runs.record).toBe(1);
  });

  it('commits messages that arrive during a turn together: one transaction, seq 1..n, applied in order', async () => {
    const { commands, armGate } = testCommands();
    const { send, dbName } = testHost({ commands });
    const gate = armGate();
    const gated = send('POST', '/actors/g/execute', { key: 'gate', body: { type: 'gate' } });
    await gate.running;
    const values = ['v0', 'v1', 'v2', 'v3', 'v4'];
    const rest = values.map((value) =>
      send('POST', '/actors/g/execute', { key: value, body: { type: 'record', value } }),
    );
    await untilQueued(values.length);
    gate.release();
    const responses = await Promise.all([gated, ...rest]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);

    const { actors, receipts } = await dumpStores(dbName);
    const bySeq = [...receipts].sort((a, b) => a.seq - b.seq);
    expect(bySeq.map((receipt) => receipt.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(bySeq[0]?.key).toBe('gate');
    const recorded = bySeq.slice(1).map((receipt) => receipt.key);
    expect([...recorded].sort()).toEqual(values);
    expect(actors[0]).toMatchObject({ seq: 6, state: { gated: true, log: recorded } });
    // Each message ran on the state the one before it left.
    for (const [index, receipt] of bySeq.slice(1).entries()) {
      expect(JSON.parse(receipt.answer.body)).toMatchObject({ result: { length: index + 1 } });
    }
    const writes = transactionSpy.mock.calls.filter(
      // The message commits (a background receipt sweep also writes receipts, but not actors).
      ([stores, mode]) =>
        mode === 'readwrite' &&
        [stores].flat().includes('receipts') &&
        [stores].flat().includes('actors'),
    );
    expect(writes).toHaveLength(2);
  });

  it('takes a burst of messages in the order they arrived, also once its lock is leased mid-burst', async () => {
    const { commands } = testCommands();
    const { send, dbName } = testHost({ commands });
    const values = Array.from({ length: 12 }, (_, index) => `m${index}`);
    const responses: Promise<Response>[] = [];
    for (const value of values) {
      responses.push(
        send('POST', '/actors/burst/execute', { key: value, body: { type: 'record', value } }),
      );
      // Later ones arrive while earlier ones are still on their way to the mailbox.
      await settle(1);
    }
    expect((await Promise.all(responses)).map((r) => r.status)).toEqual(values.map(() => 200));
    const { actors } = await dumpStores(dbName);
    expect(actors[0]?.state).toMatchObject({ log: values });
  });

  it('keeps arrival order when an earlier request’s body arrives after a later one’s', async () => {
    const { commands } = testCommands();
    const { host, send, dbName } = testHost({ commands });
    const slowBody = deferred();
    const bytes = new TextEncoder().encode(JSON.stringify({ type: 'record', value: 'first' }));
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        await slowBody.promise;
        controller.enqueue(bytes);
        controller.close();
      },
    });
    const first = host.handle(
      new Request(`${origin}/actors/slow-body/execute`, {
        method: 'POST',
        headers: { 'idempotency-key': 'first', 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    );
    await settle(5);
    const second = send('POST', '/actors/slow-body/execute', {
      key: 'second',
      body: { type: 'record', value: 'second' },
    });
    await settle(20);
    slowBody.resolve();
    expect((await Promise.all([first, second])).map((r) => r.status)).toEqual([200, 200]);
    const { actors } = await dumpStores(dbName);
    expect(actors[0]?.state).toMatchObject({ log: ['first', 'second'] });
  });

  it('answers 503 with Retry-After past maxPendingPerActor, stores nothing for it, and frees the key', async () => {
    const { commands, armGate } = testCommands();
    const { send, dbName } = testHost({ commands, maxPendingPerActor: 2 });
    const gate = armGate();
    const gated = send('POST', '/actors/a/execute', { key: 'gate', body: { type: 'gate' } });
    await gate.running;
    const queued = ['q1', 'q2'].map((key) =>
      send('POST', '/actors/a/execute', { key, body: { type: 'record', value: key } }),
    );
    await untilQueued(queued.length);
    const body = { type: 'record', value: 'q3' };
    const refused = await send('POST', '/actors/a/execute', { key: 'q3', body });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await json(refused)).toMatchObject({ code: 'too-many-pending' });
    gate.release();
    expect((await Promise.all([gated, ...queued])).map((r) => r.status)).toEqual([200, 200, 200]);
    expect((await dumpStores(dbName)).receipts.map((r) => r.key).sort()).toEqual([
      'gate',
      'q1',
      'q2',
    ]);
    expect((await send('POST', '/actors/a/execute', { key: 'q3', body })).status).toBe(200);
  });

  it('never runs turns of one actor at once across two hosts (two workers), however the sends interleave', async () => {
    let inside = 0;
    let most = 0;
    const commands: Commands = {
      slow: async (state: { n?: number }) => {
        inside += 1;
        most = Math.max(most, inside);
        await settle(2);
        inside -= 1;
        return { state: { n: (state.n ?? 0) + 1 } };
      },
    };
    const one = testHost({ commands });
    const two = createActorHost({ dbName: one.dbName, commands });
    const sends = Array.from({ length: 16 }, (_, index) => {
      const request = actorRequest('POST', '/actors/shared/execute', {
        key: `k${index}`,
        body: { type: 'slow' },
      });
      return index % 2 === 0 ? one.host.handle(request) : two.handle(request);
    });
    expect((await Promise.all(sends)).map((r) => r.status)).toEqual(sends.map(() => 200));
    expect(most).toBe(1);
    expect((await dumpStores(one.dbName)).actors[0]?.state).toEqual({ n: 16 });
  });

  it('runs a key once across two hosts (two workers) sharing the database and the locks', async () => {
    const { commands, runs } = testCommands();
    const one = testHost({ commands });
    const two = createActorHost({ dbName: one.dbName, commands });
    const body = { type: 'record', value: 1 };
    const [a, b] = await Promise.all([
      one.send('POST', '/actors/a/execute', { key: 'k', body }),
      two.handle(actorRequest('POST', '/actors/a/execute', { key: 'k', body })),
    ]);
    expect(await snapshot(b)).toEqual(await snapshot(a));
    expect(runs.record).toBe(1);
    expect((await dumpStores(one.dbName)).receipts).toHaveLength(1);
  });
});

describe('worker wiring', () => {
  it('matches same-origin URLs under the scope only', () => {
    vi.stubGlobal('location', { origin: 'http://localhost' });
    const { host } = testHost();
    expect(host.matches(new URL('http://localhost/actors/a/state'))).toBe(true);
    expect(host.matches(new URL('http://localhost/actors/'))).toBe(true);
    expect(host.matches(new URL('http://localhost/actorsx/a/state'))).toBe(false);
    expect(host.matches(new URL('http://localhost/other'))).toBe(false);
    expect(host.matches(new URL('http://elsewhere.example/actors/a/state'))).toBe(false);
  });

  it('listen() answers fetches under the scope and lets the others through', async () => {
    const listeners = new Map<string, (event: FetchEventLike) => void>();
    vi.stubGlobal('location', { origin: 'http://localhost' });
    vi.stubGlobal('addEventListener', (type: string, listener: (event: FetchEventLike) => void) =>
      listeners.set(type, listener),
    );
    const { host } = testHost();
    host.listen();
    expect([...listeners.keys()]).toEqual(expect.arrayContaining(['activate', 'fetch']));
    const fetchEvent = (request: Request) => {
      const answered: Promise<Response>[] = [];
      const event = {
        request,
        respondWith: (response: Promise<Response>) => answered.push(response),
        waitUntil: () => undefined,
      } as unknown as FetchEventLike;
      listeners.get('fetch')?.(event);
      return answered;
    };
    const [inScope] = fetchEvent(actorRequest('GET', '/actors/a/status'));
    expect((await inScope)?.status).toBe(200);
    expect(fetchEvent(new Request('http://localhost/index.html'))).toEqual([]);
  });
});
