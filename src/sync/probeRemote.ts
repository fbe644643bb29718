import { SyncError } from '../errors/SyncError.ts';
import { davRequest, unexpected } from '../webdav/davRequest.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';

/**
 * Checks, before trusting a remote, the two things claiming a version rests
 * on (DESIGN.md §6.6): a second MKCOL of one name fails, and a MOVE with
 * `Overwrite: F` onto an existing non-empty collection fails and leaves it
 * as it was. Works in a scratch collection it removes afterwards. Throws
 * `remote-unsafe` saying which check failed.
 */
export async function probeRemote(remote: RemoteConfig, deviceId: string): Promise<void> {
  const root = `.actordav-probe-${deviceId}-${crypto.randomUUID()}/`;
  const mkcol = async (path: string) => {
    const response = await davRequest(remote, 'MKCOL', path);
    if (response.status !== 201) throw unexpected('MKCOL', path, response);
  };
  const put = async (path: string, body: string) => {
    const response = await davRequest(remote, 'PUT', path, { body });
    if (!response.ok) throw unexpected('PUT', path, response);
  };
  await mkcol(root);
  try {
    const again = await davRequest(remote, 'MKCOL', root);
    if (again.ok) throw unsafe('a second MKCOL of the same name succeeded');
    await mkcol(`${root}a/`);
    await put(`${root}a/x`, 'a');
    await mkcol(`${root}b/`);
    await put(`${root}b/x`, 'b');
    const move = await davRequest(remote, 'MOVE', `${root}a/`, {
      headers: { destination: `${remote.url}${root}b/`, overwrite: 'F' },
    });
    const kept = await davRequest(remote, 'GET', `${root}b/x`);
    // 207 is a failure report (a 412 inside), so only a real success status or a changed target counts.
    const moved = move.status === 200 || move.status === 201 || move.status === 204;
    if (moved || !kept.ok || (await kept.text()) !== 'b') {
      throw unsafe('a MOVE with Overwrite: F replaced an existing collection');
    }
  } finally {
    await davRequest(remote, 'DELETE', root).catch(() => undefined);
  }
}

function unsafe(why: string): SyncError {
  return new SyncError(
    'remote-unsafe',
    `This WebDAV server cannot be trusted to claim versions: ${why}. Messages are uploaded but stay pending.`,
  );
}
