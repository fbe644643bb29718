import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  isLoopback,
  parseRemoteArgs,
  REMOTE_USAGE,
  UsageError,
  type DevRemoteOptions,
} from './parseRemoteArgs.ts';
import { remoteSnippet } from './remoteSnippet.ts';
import type { EmbeddedWebdav, startEmbeddedWebdav } from './startEmbeddedWebdav.ts';

/** Where the CLI writes; the real streams by default, strings in tests. */
export interface CliOutput {
  out(text: string): void;
  err(text: string): void;
}

const USAGE = `Usage: actordav <command>

Commands:
  remote   serve a folder as a WebDAV remote for development (actordav remote --help)
`;

/** A started CLI: its exit code, or the running remote (the process then lives until a signal). */
export type CliOutcome = { readonly exitCode: number } | { readonly remote: EmbeddedWebdav };

/**
 * Runs `actordav <args>`: exit code 2 for bad arguments (with a message naming what is wrong),
 * 1 when the remote cannot start, else the running remote.
 */
export async function runCli(args: readonly string[], output: CliOutput): Promise<CliOutcome> {
  const [command, ...rest] = args;
  if (command === '--help' || command === '-h' || command === 'help') {
    output.out(USAGE);
    return { exitCode: 0 };
  }
  if (command !== 'remote') {
    output.err(
      `${command === undefined ? 'no command given' : `unknown command "${command}"`}\n\n${USAGE}`,
    );
    return { exitCode: 2 };
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    output.out(REMOTE_USAGE);
    return { exitCode: 0 };
  }
  let options: DevRemoteOptions;
  try {
    options = parseRemoteArgs(rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    output.err(
      `actordav remote: ${error.message}\nRun "actordav remote --help" for the options.\n`,
    );
    return { exitCode: 2 };
  }
  return startRemote(options, output);
}

async function startRemote(options: DevRemoteOptions, output: CliOutput): Promise<CliOutcome> {
  // nephele is an optional dependency (package.json): an app installed with --omit=optional has
  // what its bundles need, and only this command asks for it.
  let start: typeof startEmbeddedWebdav;
  try {
    ({ startEmbeddedWebdav: start } = await import('./startEmbeddedWebdav.ts'));
  } catch (error) {
    if (!isMissingModule(error)) throw error;
    output.err(
      'actordav remote needs the optional dependencies nephele and @nephele/adapter-file-system:\n' +
        '  npm install --save-dev nephele @nephele/adapter-file-system\n',
    );
    return { exitCode: 1 };
  }
  const root = resolve(options.dir);
  // The collection the worker syncs to must exist: a sync round MKCOLs inside it, never it.
  await mkdir(root, { recursive: true });
  let remote: EmbeddedWebdav;
  try {
    remote = await start({
      root,
      host: options.host,
      port: options.port,
      allowOrigins: options.origins,
      ...(options.auth === undefined ? {} : { auth: options.auth }),
    });
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    output.err(
      code === 'EADDRINUSE'
        ? `actordav remote: port ${options.port} is in use on ${options.host}; pick another with --port\n`
        : `actordav remote: cannot listen on ${options.host}:${options.port}: ${String(error)}\n`,
    );
    return { exitCode: 1 };
  }
  output.out(describe(options, root, remote.url));
  if (!isLoopback(options.host)) {
    output.err(
      `warning: listening on ${options.host}: other machines can reach this remote` +
        `${options.auth === undefined ? ', with no password (add --user name:password)' : ''}\n`,
    );
  }
  return { remote };
}

function describe(options: DevRemoteOptions, root: string, url: string): string {
  return [
    `actordav dev remote: ${url} serves ${root}`,
    `pages and workers of ${options.origins.join(', ')} may use it`,
    '',
    'Paste into createActorHost({ … }) in your service worker:',
    '',
    `  ${remoteSnippet(url, options.auth)}`,
    '',
    'For development only. Ctrl-C stops it; the files stay in the folder.',
    '',
  ].join('\n');
}

function isMissingModule(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return code === 'ERR_MODULE_NOT_FOUND' && typeof message === 'string' && /nephele/.test(message);
}
