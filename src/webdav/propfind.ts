import { SyncError } from '../errors/SyncError.ts';
import { davRequest, unexpected } from './davRequest.ts';
import { parseMultistatus, type MultistatusEntry } from './parseMultistatus.ts';
import type { RemoteConfig } from './remoteConfig.ts';

/**
 * One PROPFIND of one DAV property at `depth`: the multistatus entries, or
 * undefined when nothing is at `path` (404). Any other answer than 207, or a
 * multistatus that does not parse, is an error of the remote.
 */
export async function propfind(
  remote: RemoteConfig,
  path: string,
  depth: '0' | '1',
  property: 'resourcetype' | 'getlastmodified',
): Promise<MultistatusEntry[] | undefined> {
  const response = await davRequest(remote, 'PROPFIND', path, {
    headers: { depth, 'content-type': 'application/xml; charset=utf-8' },
    body: `<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:${property}/></D:prop></D:propfind>`,
  });
  if (response.status === 404) return undefined;
  if (response.status !== 207) throw unexpected('PROPFIND', path, response);
  try {
    return parseMultistatus(await response.text());
  } catch (cause) {
    throw new SyncError('remote-protocol', `PROPFIND ${path}: unreadable multistatus`, { cause });
  }
}
