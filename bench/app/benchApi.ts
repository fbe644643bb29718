/**
 * A series of requests. Templates in `path`, `key` and `body` have `{i}`
 * replaced by the request's index, `{a}` by `i % actors` and `{p}` by a
 * scrambled index in `[0, pick)` (a spread of lookups, the same every run).
 */
export interface RequestSpec {
  method: string;
  path: string;
  /** Sent as an RFC 8941 quoted string in `Idempotency-Key`. */
  key?: string;
  body?: string;
  /** Default 1. */
  actors?: number;
  /** Default 1. */
  pick?: number;
}

/** Statuses seen, e.g. `{ "201": 500 }`; a replayed answer counts as `"201 replayed"`. */
export type StatusCounts = Record<string, number>;

export interface SequentialResult {
  /** Milliseconds per request, in order. */
  times: number[];
  statuses: StatusCounts;
}

export interface ConcurrentResult {
  /** Wall time from the first request sent to the last answer read. */
  ms: number;
  statuses: StatusCounts;
}

export interface BenchApi {
  /** Requests `from`…`from + count - 1` one after another. */
  sequential: (spec: RequestSpec, from: number, count: number) => Promise<SequentialResult>;
  /** `count` requests from `concurrency` senders, each sending its next as soon as one is answered. */
  concurrent: (spec: RequestSpec, count: number, concurrency: number) => Promise<ConcurrentResult>;
  /** GETs each path and parses its JSON. */
  read: (paths: string[]) => Promise<unknown[]>;
  /** A JSON request to the worker's bench endpoints (`/bench/…`), answered as JSON. */
  control: (path: string, body?: unknown) => Promise<unknown>;
}

declare global {
  interface Window {
    bench: BenchApi;
  }
}
