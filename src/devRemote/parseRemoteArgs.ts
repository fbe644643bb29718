import { parseArgs } from 'node:util';
import type { BasicCredentials } from './checkBasicAuth.ts';

/** What `actordav remote` was asked to do, validated. */
export interface DevRemoteOptions {
  /** Directory served as the collection; made if missing. */
  readonly dir: string;
  /** Web origins (scheme, host, port) whose pages and workers may use the remote. */
  readonly origins: readonly string[];
  readonly auth: BasicCredentials | undefined;
  readonly host: string;
  readonly port: number;
}

/** Bad command-line arguments: the CLI prints the message and exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError' as const;
}

/** The default port: fixed, so the `remote` option pasted into an app stays valid across runs. */
export const DEFAULT_PORT = 4918;
export const DEFAULT_DIR = '.actordav-remote';

export const REMOTE_USAGE = `Usage: actordav remote [dir] --origin <url> [--origin <url>…] [--user <name:password>]
                       [--port <n>] [--host <address>]

Serves [dir] (default ${DEFAULT_DIR}) as a WebDAV collection a service worker can sync to,
for development. Only pages of the --origin origins may use it (CORS, 401s included).

  --origin <url>   your app's origin, e.g. http://localhost:5173 (required; repeat for more)
  --user <u:p>     require these Basic credentials (the printed option carries them)
  --port <n>       port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host <addr>    address to bind (default 127.0.0.1); anything else exposes the remote
                   to your network
`;

/** Parses the arguments after `remote`; throws {@link UsageError} on anything it cannot use. */
export function parseRemoteArgs(args: readonly string[]): DevRemoteOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        origin: { type: 'string', multiple: true },
        user: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new UsageError(
      `one directory at most, got ${positionals.length}: ${positionals.join(' ')}`,
    );
  }
  const origins = (values.origin ?? []).flatMap((list) => list.split(',')).map(parseOrigin);
  if (origins.length === 0) {
    throw new UsageError(
      "--origin is required: your app's origin, e.g. --origin http://localhost:5173 (the remote answers no other web page)",
    );
  }
  return {
    dir: positionals[0] ?? DEFAULT_DIR,
    origins,
    auth: values.user === undefined ? undefined : parseUser(values.user),
    host: parseHost(values.host),
    port: parsePort(values.port),
  };
}

function parseOrigin(text: string): string {
  const trimmed = text.trim();
  const url = URL.canParse(trimmed) ? new URL(trimmed) : undefined;
  // A browser sends the bare origin; a path or a trailing slash would never match it.
  if (
    url === undefined ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.origin !== trimmed.replace(/\/$/, '')
  ) {
    throw new UsageError(
      `--origin "${text}" is not a web origin: give scheme, host and port only, e.g. http://localhost:5173`,
    );
  }
  return url.origin;
}

function parseUser(text: string): BasicCredentials {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) {
    throw new UsageError('--user must be name:password, both non-empty');
  }
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PORT;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, got "${text}"`);
  }
  return port;
}

function parseHost(text: string | undefined): string {
  if (text === undefined) return '127.0.0.1';
  if (text.trim() === '' || /[\s/]/.test(text)) {
    throw new UsageError(`--host must be an address or host name, got "${text}"`);
  }
  return text;
}

/** Whether binding `host` keeps the remote on this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
