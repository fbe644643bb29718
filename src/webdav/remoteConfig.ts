/** Headers for the remote, or a function that returns them (for tokens that refresh). */
export type RemoteHeaders = HeadersInit | (() => HeadersInit | Promise<HeadersInit>);

/** The `fetch` the remote is reached with. */
export type RemoteFetch = (input: string, init: RequestInit) => Promise<Response>;

/** The `remote` option: a WebDAV collection and the credentials it needs. */
export interface RemoteOptions {
  /**
   * The collection URL, absolute or a path on the worker's own origin (`/dav/`); `user:password@`
   * in it becomes a Basic `Authorization` header.
   */
  url: string;
  /** Sent with every request (e.g. `Authorization`); they stay in the worker, never in an answer. */
  headers?: RemoteHeaders;
  /**
   * How long one request may take, answer body included, before it is aborted and the round
   * fails with `remote-timeout` (retried with backoff). Default 15 s.
   */
  timeoutMs?: number;
  /** The `fetch` to use (tests, instrumentation). Default: the worker's global `fetch`. */
  fetch?: RemoteFetch;
}

/** A checked remote: a collection URL that ends with `/` and has no credentials in it. */
export interface RemoteConfig {
  url: string;
  headers: () => Promise<Headers>;
  timeoutMs: number;
  fetch: RemoteFetch;
}

// setTimeout fires at once for anything longer than a signed 32-bit number of milliseconds.
const maxTimeoutMs = 2 ** 31 - 1;

/** Checks the `remote` option, throwing a TypeError or RangeError that names what is wrong. */
export function normalizeRemote(options: RemoteOptions): RemoteConfig {
  let url: URL;
  try {
    // A path such as '/dav/' means the worker's own origin; elsewhere (no location) it must be absolute.
    url = new URL(options.url, (globalThis as { location?: { href: string } }).location?.href);
  } catch (cause) {
    throw new TypeError(
      "options.remote.url must be an absolute URL, or a path on the worker's own origin",
      { cause },
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError('options.remote.url must be an http: or https: URL');
  }
  if (url.search !== '' || url.hash !== '') {
    throw new TypeError('options.remote.url must not have a query or a fragment');
  }
  const basic =
    url.username === ''
      ? undefined
      : `Basic ${btoa(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`)}`;
  url.username = '';
  url.password = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  const given = options.headers ?? {};
  if (typeof given !== 'function' && typeof given !== 'object') {
    throw new TypeError('options.remote.headers must be headers or a function returning them');
  }
  const timeoutMs = options.timeoutMs ?? 15_000;
  if (typeof timeoutMs !== 'number') {
    throw new TypeError('options.remote.timeoutMs must be a number of milliseconds');
  }
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > maxTimeoutMs) {
    throw new RangeError(
      `options.remote.timeoutMs must be an integer in [1, ${maxTimeoutMs}], got ${String(timeoutMs)}`,
    );
  }
  const fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  if (typeof fetchImpl !== 'function') {
    throw new TypeError('options.remote.fetch must be a function');
  }
  return {
    url: url.href,
    timeoutMs,
    fetch: fetchImpl,
    headers: async () => {
      const headers = new Headers(typeof given === 'function' ? await given() : given);
      if (basic !== undefined && !headers.has('authorization')) headers.set('authorization', basic);
      return headers;
    },
  };
}
