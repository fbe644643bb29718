import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { normalizeClientOptions, type RetryOptions } from '../../../src/client/clientOptions.ts';
import { requestWithRetry } from '../../../src/client/requestWithRetry.ts';
import { failedToFetch, json, problem, scriptedFetch } from './support.ts';

const request = { method: 'PUT', path: '/actors/ada/tasks', headers: {}, body: '{}' };

function configWith(fetch: typeof globalThis.fetch, retry: RetryOptions = {}) {
  return normalizeClientOptions({ storage: null, requireController: false, fetch, retry });
}

// Runs a call to completion on the fake clock, and says how it settled.
async function settle<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  const settled = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await vi.runAllTimersAsync();
  return settled;
}

const gaps = (seen: { at: number }[]) =>
  seen.slice(1).map((request, i) => request.at - seen[i]!.at);

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2025-01-01T00:00:00Z') });
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('requestWithRetry', () => {
  it('returns the first answer that retrying cannot change, after full-jitter waits', async () => {
    const { fetch, seen } = scriptedFetch(
      failedToFetch(),
      failedToFetch(),
      problem(500, 'internal-error', 'boom'),
      json(201, { ok: true }),
    );
    const result = await settle(requestWithRetry(configWith(fetch), request));
    expect(result.value).toMatchObject({ status: 201, body: { ok: true } });
    // random 0.5 of windows 250, 500, 1000 ms.
    expect(gaps(seen)).toEqual([125, 250, 500]);
    expect(seen.every((s) => s.body === '{}' && s.method === 'PUT')).toBe(true);
  });

  it('caps the jitter window at maxDelayMs', async () => {
    const { fetch, seen } = scriptedFetch(
      failedToFetch(),
      failedToFetch(),
      failedToFetch(),
      json(200, {}),
    );
    await settle(
      requestWithRetry(configWith(fetch, { baseDelayMs: 400, maxDelayMs: 600 }), request),
    );
    expect(gaps(seen)).toEqual([200, 300, 300]);
  });

  it('honours Retry-After on a 503 instead of the jitter', async () => {
    const { fetch, seen } = scriptedFetch(
      problem(503, 'too-many-pending', 'busy', { 'retry-after': '2' }),
      json(201, {}),
    );
    await settle(requestWithRetry(configWith(fetch), request));
    expect(gaps(seen)).toEqual([2000]);
  });

  it('retries 409 key-in-flight, 408 and 429, but no other 4xx', async () => {
    for (const first of [problem(409, 'key-in-flight', 'wait'), json(408, {}), json(429, {})]) {
      const { fetch, seen } = scriptedFetch(first, json(200, {}));
      await settle(requestWithRetry(configWith(fetch), request));
      expect(seen).toHaveLength(2);
    }
    for (const status of [400, 404, 409, 412, 413, 415, 422]) {
      const { fetch, seen } = scriptedFetch(problem(status, 'some-code', 'no'), json(200, {}));
      const result = await settle(requestWithRetry(configWith(fetch), request));
      expect(result.value).toMatchObject({ status });
      expect(seen).toHaveLength(1);
    }
  });

  it('does not retry stored final 5xx answers: a turn-timeout, or any replay', async () => {
    const timeout = scriptedFetch(problem(500, 'turn-timeout', 'slow'), json(200, {}));
    await settle(requestWithRetry(configWith(timeout.fetch), request));
    expect(timeout.seen).toHaveLength(1);
    const replay = scriptedFetch(
      problem(500, 'internal-error', 'x', { 'idempotent-replayed': 'true' }),
      json(200, {}),
    );
    await settle(requestWithRetry(configWith(replay.fetch), request));
    expect(replay.seen).toHaveLength(1);
  });

  it.each(['command-invalid', 'command-nondeterministic'])(
    'does not retry %s: only a fixed release of the command changes that answer',
    async (code) => {
      const { fetch, seen } = scriptedFetch(problem(500, code, 'bug'), json(200, {}));
      await settle(requestWithRetry(configWith(fetch), request));
      expect(seen).toHaveLength(1);
    },
  );

  it('gives up after maxAttempts with the last failure as cause', async () => {
    const { fetch, seen } = scriptedFetch(failedToFetch());
    const result = await settle(
      requestWithRetry(configWith(fetch, { maxAttempts: 4 }), request, {
        actorId: 'ada',
        key: 'k1',
      }),
    );
    expect(seen).toHaveLength(4);
    expect(result.error).toMatchObject({
      name: 'RetriesExhaustedError',
      code: 'retries-exhausted',
      attempts: 4,
      actorId: 'ada',
      key: 'k1',
      cause: { message: 'Failed to fetch' },
    });
  });

  it('gives up when the next wait would pass maxElapsedMs', async () => {
    const { fetch, seen } = scriptedFetch(
      problem(503, 'too-many-pending', 'busy', { 'retry-after': '10' }),
    );
    const result = await settle(
      requestWithRetry(configWith(fetch, { maxElapsedMs: 25_000, maxAttempts: 100 }), request),
    );
    // 0 s, 10 s, 20 s; a fourth at 30 s would start past the budget.
    expect(seen).toHaveLength(3);
    expect(result.error).toMatchObject({
      code: 'retries-exhausted',
      cause: { name: 'ActorHttpError', status: 503 },
    });
  });

  it('retries when the body stream breaks, as when the worker stops mid-answer', async () => {
    let calls = 0;
    const broken = () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.error(new TypeError('network error'));
          },
        }),
        { status: 201, headers: { 'content-type': 'application/json' } },
      );
    const { fetch, seen } = scriptedFetch(() =>
      ++calls === 1 ? broken() : json(201, { n: calls }),
    );
    const result = await settle(requestWithRetry(configWith(fetch), request));
    expect(seen).toHaveLength(2);
    expect(result.value).toMatchObject({ status: 201, body: { n: 2 } });
  });

  it("sends again an answer the worker did not write, as when Firefox hands a stopped worker's fetch to the network", async () => {
    const page = () =>
      new Response('<!doctype html><title>app</title>', {
        status: 200,
        headers: { 'content-type': 'text/html' },
      });
    const { fetch, seen } = scriptedFetch(
      page(),
      new Response('Not Found', { status: 404 }),
      json(201, { n: 3 }),
    );
    const result = await settle(requestWithRetry(configWith(fetch), request));
    expect(seen).toHaveLength(3);
    expect(result.value).toMatchObject({ status: 201, body: { n: 3 } });
  });

  it("keeps the worker's empty answers (204, 304) and HEAD answers without a body", async () => {
    for (const answer of [
      new Response(null, { status: 204 }),
      new Response(null, { status: 304, headers: { etag: '"a"' } }),
      new Response(null, { status: 200, headers: { 'content-type': 'application/json' } }),
    ]) {
      const { fetch, seen } = scriptedFetch(answer);
      const result = await settle(requestWithRetry(configWith(fetch), request));
      expect(seen).toHaveLength(1);
      expect(result.value).toMatchObject({ status: answer.status });
    }
  });

  it('names the stray answer when retries run out on it', async () => {
    const { fetch } = scriptedFetch(
      new Response('<html></html>', {
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8' },
      }),
    );
    const result = await settle(requestWithRetry(configWith(fetch, { maxAttempts: 2 }), request));
    expect(result.error).toMatchObject({
      code: 'retries-exhausted',
      cause: { name: 'ActorClientError', code: 'not-from-worker' },
    });
    expect(String((result.error as Error).message)).toContain('200 text/html');
  });

  it('stops at once when the signal aborts, during a wait', async () => {
    const { fetch, seen } = scriptedFetch(failedToFetch());
    const controller = new AbortController();
    const call = requestWithRetry(configWith(fetch), request, { signal: controller.signal });
    const settled = call.then(
      () => 'resolved',
      (error: unknown) => (error as Error).name,
    );
    await vi.advanceTimersByTimeAsync(50);
    controller.abort();
    expect(await settled).toBe('AbortError');
    expect(seen).toHaveLength(1);
  });

  it('lets errors other than network TypeErrors through', async () => {
    const { fetch } = scriptedFetch(new RangeError('bug'));
    const result = await settle(requestWithRetry(configWith(fetch), request));
    expect(result.error).toMatchObject({ name: 'RangeError' });
  });
});
