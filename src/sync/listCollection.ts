import { SyncError } from '../errors/SyncError.ts';
import { davRequest, unexpected } from '../webdav/davRequest.ts';
import { parseMultistatus } from '../webdav/parseMultistatus.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { childName } from './remotePaths.ts';

const propfindBody =
  '<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>';

/** One PROPFIND Depth 1: the names of a collection's children, or none when it does not exist yet. */
export async function listCollection(remote: RemoteConfig, path: string): Promise<string[]> {
  const response = await davRequest(remote, 'PROPFIND', path, {
    headers: { depth: '1', 'content-type': 'application/xml; charset=utf-8' },
    body: propfindBody,
  });
  if (response.status === 404) return [];
  if (response.status !== 207) throw unexpected('PROPFIND', path, response);
  let entries;
  try {
    entries = parseMultistatus(await response.text());
  } catch (cause) {
    throw new SyncError('remote-protocol', `PROPFIND ${path}: unreadable multistatus`, { cause });
  }
  const own = trimSlash(decodeURIComponent(new URL(remote.url + path).pathname));
  return entries
    .map((entry) => trimSlash(entry.href))
    .filter((href) => href !== own && href.startsWith(`${own}/`))
    .map(childName);
}

function trimSlash(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path;
}
