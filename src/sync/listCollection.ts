import { propfind } from '../webdav/propfind.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { childName } from './remotePaths.ts';

/** One PROPFIND Depth 1: the names of a collection's children, or none when it does not exist yet. */
export async function listCollection(remote: RemoteConfig, path: string): Promise<string[]> {
  const entries = await propfind(remote, path, '1', 'resourcetype');
  if (entries === undefined) return [];
  const own = ownPath(remote, path);
  return entries
    .map((entry) => trimSlash(entry.href))
    .filter((href) => href !== own && href.startsWith(`${own}/`))
    .map(childName);
}

/** A remote path as a multistatus `href` names it once parsed: decoded, without a trailing slash. */
export function ownPath(remote: RemoteConfig, path: string): string {
  return trimSlash(decodeURIComponent(new URL(remote.url + path).pathname));
}

export function trimSlash(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path;
}
