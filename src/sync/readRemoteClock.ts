import { SyncError } from '../errors/SyncError.ts';
import { davRequest, unexpected } from '../webdav/davRequest.ts';
import { propfind } from '../webdav/propfind.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';

/**
 * The server's modification time (ms) of the file at `path`, which the
 * caller has just written: the remote's clock, which no device's clock can
 * move ([the clock](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#the-clock-the-key-ttl-and-retirement)). Asked with PROPFIND Depth 0 for `getlastmodified`
 * (in the body, so no CORS header has to expose it), else HEAD
 * `Last-Modified` (a CORS-safelisted response header). nephele, lighttpd and
 * Apache mod_dav give both, as an RFC 1123 HTTP-date, to the second.
 */
export async function readRemoteClock(remote: RemoteConfig, path: string): Promise<number> {
  const entries = await propfind(remote, path, '0', 'getlastmodified');
  // The caller has just written the file: gone already is the remote's error, as any odd answer.
  if (entries === undefined) {
    throw new SyncError('remote-protocol', `PROPFIND ${path}: unexpected 404`, { status: 404 });
  }
  const fromProps = httpDate(entries[0]?.lastModified);
  if (fromProps !== undefined) return fromProps;
  const head = await davRequest(remote, 'HEAD', path);
  if (!head.ok) throw unexpected('HEAD', path, head);
  const fromHeader = httpDate(head.headers.get('last-modified') ?? undefined);
  if (fromHeader !== undefined) return fromHeader;
  throw new SyncError(
    'remote-protocol',
    `${path}: the remote tells no modification time (neither getlastmodified nor ` +
      'Last-Modified), and sync takes its clock from there: use a server that gives it',
  );
}

/** An HTTP-date (RFC 9110 §5.6.7; `Date.parse` also reads the obsolete forms) in ms, if it is one. */
export function httpDate(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}
