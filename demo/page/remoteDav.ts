import type { MultistatusEntry } from '../../src/webdav/parseMultistatus.ts';
import { parseMultistatus } from '../../src/webdav/parseMultistatus.ts';

const propfindBody =
  '<?xml version="1.0" encoding="utf-8"?>' +
  '<D:propfind xmlns:D="DAV:"><D:prop>' +
  '<D:resourcetype/><D:getcontentlength/><D:getlastmodified/><D:getetag/>' +
  '</D:prop></D:propfind>';

/**
 * Lists a collection of the remote (PROPFIND, Depth 1), straight from the
 * page: the demo's WebDAV server answers CORS. Undefined when it does not exist.
 */
export async function listCollection(url: string): Promise<MultistatusEntry[] | undefined> {
  const response = await fetch(url, {
    method: 'PROPFIND',
    headers: { Depth: '1', 'Content-Type': 'application/xml' },
    body: propfindBody,
    cache: 'no-store',
  });
  if (response.status === 404) return undefined;
  if (response.status !== 207) throw new Error(`PROPFIND ${url}: HTTP ${response.status}`);
  return parseMultistatus(await response.text());
}

/** Reads a file of the remote as text. */
export async function readRemoteFile(url: string): Promise<string> {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return response.text();
}
