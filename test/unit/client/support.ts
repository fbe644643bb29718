import { vi } from 'vitest';

/** An in-memory Web Storage: what localStorage is to a fresh client after a reload. */
export class MemoryStorage implements Storage {
  readonly #items = new Map<string, string>();
  [name: string]: unknown;

  get length(): number {
    return this.#items.size;
  }
  key(index: number): string | null {
    return [...this.#items.keys()][index] ?? null;
  }
  getItem(name: string): string | null {
    return this.#items.get(name) ?? null;
  }
  setItem(name: string, value: string): void {
    this.#items.set(name, String(value));
  }
  removeItem(name: string): void {
    this.#items.delete(name);
  }
  clear(): void {
    this.#items.clear();
  }
}

/** One request the fake fetch saw, with the fake clock's time. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
  at: number;
}

type Step = Response | Error | ((request: SeenRequest) => Response | Error);

/**
 * A fetch that answers from a script, one step per call (the last step
 * repeats), and records every request.
 */
export function scriptedFetch(...steps: Step[]) {
  const seen: SeenRequest[] = [];
  const fetch = vi.fn((input: RequestInfo | URL, init: RequestInit = {}) => {
    const request: SeenRequest = {
      method: init.method ?? 'GET',
      path: typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      headers: Object.fromEntries(new Headers(init.headers).entries()),
      body: typeof init.body === 'string' ? init.body : undefined,
      at: Date.now(),
    };
    seen.push(request);
    const step = steps[Math.min(seen.length - 1, steps.length - 1)];
    const outcome = typeof step === 'function' ? step(request) : step;
    if (outcome === undefined) return Promise.reject(new Error('script ran out'));
    return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome.clone());
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, seen };
}

/** A JSON answer as the worker writes it. */
export function json(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A problem+json answer as the worker writes it. */
export function problem(
  status: number,
  code: string,
  detail: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title: code, status, detail, code }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
}

/** What fetch rejects with when the network (or a restarting worker) fails the request. */
export const failedToFetch = () => new TypeError('Failed to fetch');

/**
 * A stand-in for the worker's HTTP surface, enough for the client's logic:
 * keys, replays, effects, receipts and status. `down` makes every request
 * fail like a stopped worker; `confirm` decides 201 (confirmed) or 202.
 */
export function fakeWorker() {
  const receipts = new Map<
    string,
    { status: 'pending' | 'done'; answer: Response; print: string }
  >();
  const worker = {
    effects: 0,
    down: false,
    confirm: true,
    seen: [] as SeenRequest[],
    /** Marks every pending receipt done, as a sync round would. */
    confirmAll() {
      for (const receipt of receipts.values()) {
        if (receipt.status === 'done') continue;
        receipt.status = 'done';
        receipt.answer = json(201, { status: 'done' });
      }
    },
    fetch: undefined as unknown as typeof globalThis.fetch,
  };
  const { fetch, seen } = scriptedFetch((request) => {
    if (worker.down) return failedToFetch();
    const url = new URL(request.path, 'http://app.test');
    const [, actorId, resource, rawKey] =
      /\/actors\/([^/]+)\/([^/]+)(?:\/(.+))?$/.exec(url.pathname) ?? [];
    if (request.method === 'GET' && resource === 'status') {
      const pending = [...receipts.entries()].filter(
        ([name, r]) => name.startsWith(`${actorId}\n`) && r.status === 'pending',
      ).length;
      return json(200, {
        id: actorId,
        version: 1,
        seq: 1,
        pending,
        syncing: false,
        lastError: null,
      });
    }
    if (request.method === 'GET' && resource === 'tasks' && rawKey !== undefined) {
      const key = decodeURIComponent(rawKey);
      const receipt = receipts.get(`${actorId}\n${key}`);
      if (receipt === undefined) return problem(404, 'receipt-not-found', 'no receipt');
      return json(200, {
        actorId,
        key,
        status: receipt.status,
        seq: 1,
        createdAt: '2025-01-01T00:00:00.000Z',
      });
    }
    if (request.method === 'GET') return json(200, { tasks: [] }, { etag: '"e1"' });
    const key = JSON.parse(request.headers['idempotency-key'] ?? '""') as string;
    const print = `${request.method} ${url.pathname} ${request.headers['if-match'] ?? ''} ${request.body ?? ''}`;
    const stored = receipts.get(`${actorId}\n${key}`);
    if (stored !== undefined) {
      if (stored.print !== print) return problem(422, 'key-reused', 'different request');
      const replay = new Response(stored.answer.clone().body, stored.answer);
      replay.headers.set('idempotent-replayed', 'true');
      return replay;
    }
    worker.effects += 1;
    const answer = worker.confirm
      ? json(201, { key, status: 'done', result: { n: worker.effects } })
      : json(202, { key, status: 'pending', result: { n: worker.effects } });
    receipts.set(`${actorId}\n${key}`, {
      status: worker.confirm ? 'done' : 'pending',
      answer: answer.clone(),
      print,
    });
    return answer;
  });
  worker.fetch = fetch;
  worker.seen = seen;
  return worker;
}

/** The key a request was sent under (its quoted Idempotency-Key header, unquoted). */
export function keyOf(request: SeenRequest): string {
  return JSON.parse(request.headers['idempotency-key'] ?? 'null') as string;
}
