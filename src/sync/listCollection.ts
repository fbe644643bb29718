import { propfind } from '../webdav/propfind.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { childName } from './remotePaths.ts';

/** One PROPFIND Depth 1: the names of a collection's children, or none when it does not exist yet. */
export async function listCollection(remote: RemoteConfig, path: string): Promise<string[]> {
  const entries = await propfind(remote, path, '1', 'resourcetype');
  if (entries === undefined) return [];
  const own = trimSlash(decodeURIComponent(new URL(remote.url + path).pathname));
  return entries
    .map((entry) => trimSlash(entry.href))
    .filter((href) => href !== own && href.startsWith(`${own}/`))
    .map(childName);
}

function trimSlash(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path;
}
