/** Headers for the remote, or a function that returns them (for tokens that refresh). */
export type RemoteHeaders = HeadersInit | (() => HeadersInit | Promise<HeadersInit>);

/** The `remote` option: a WebDAV collection and the credentials it needs. */
export interface RemoteOptions {
  /** The collection URL; `user:password@` in it becomes a Basic `Authorization` header. */
  url: string;
  /** Sent with every request (e.g. `Authorization`); they stay in the worker, never in an answer. */
  headers?: RemoteHeaders;
}

/** A checked remote: a collection URL that ends with `/` and has no credentials in it. */
export interface RemoteConfig {
  url: string;
  headers: () => Promise<Headers>;
}

/** Checks the `remote` option, throwing a TypeError that names what is wrong. */
export function normalizeRemote(options: RemoteOptions): RemoteConfig {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch (cause) {
    throw new TypeError('options.remote.url must be an absolute URL', { cause });
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
  return {
    url: url.href,
    headers: async () => {
      const headers = new Headers(typeof given === 'function' ? await given() : given);
      if (basic !== undefined && !headers.has('authorization')) headers.set('authorization', basic);
      return headers;
    },
  };
}
