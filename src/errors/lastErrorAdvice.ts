import type { SyncErrorCode } from './SyncError.ts';

/**
 * What to do about each `lastError.code` a sync round can stop on: the one
 * place this advice lives in the code (the worker warns with it once per
 * code, see `warnFirstErrors`); docs/ARCHITECTURE.md has the same table.
 * Nothing pending is dropped for any of them.
 */
export const lastErrorAdvice: Readonly<Record<SyncErrorCode, string>> = {
  'remote-unreachable': 'nothing to do if offline: it syncs when the remote is back',
  'remote-timeout':
    'no full answer within remote.timeoutMs: check the server (a half-open proxy, an unfinished OPTIONS body)',
  'remote-cors':
    'the remote answers but the browser hides it: add CORS headers to every answer, error answers (401, 5xx) too',
  'remote-server-error': "the remote answered 5xx: check the server's log",
  'remote-unauthorized': 'fix the credentials (remote.headers); the next trigger retries',
  'remote-redirect': 'the worker never follows redirects with credentials: configure the final URL',
  'remote-protocol':
    'check proxies between the app and the server (they must rewrite Destination); for a newer remote format, update the app',
  'remote-unsafe':
    'the server cannot make claiming a version exclusive: use lighttpd, Apache mod_dav_fs or the embedded server',
  'device-id-conflict':
    "another install writes under this device's id: wipe one install's site data",
  'remote-lost-segment':
    'restore the remote (or its log/ folder) from a copy that has the range named',
  'remote-rollback':
    'the remote is older than what this device confirmed: restore it from a newer copy',
  'remote-fork': "compare the receipts with the remote's; move to a server that passes the probe",
  'remote-config':
    'the remote option gave no usable remote for this actor: fix it; its messages stay pending meanwhile',
};
