import { davRequest } from './davRequest.ts';
import { propfind } from './propfind.ts';
import type { RemoteConfig } from './remoteConfig.ts';

/**
 * MKCOL of a collection whose name only this request uses (a fresh nonce or
 * UUID in it). A 405 whose collection is there after all counts as made
 * (201): nobody else names it, so it is our own MKCOL, sent a second time by
 * the browser after the first one's answer was lost. Chromium resends a
 * request whose reused connection closes before any answer; the chaos run
 * saw a staging folder's MKCOL answered 405 that way. Any other answer,
 * and a 405 with nothing there (a server that refuses MKCOL), is returned
 * as it is.
 */
export async function makeOwnCollection(remote: RemoteConfig, path: string): Promise<Response> {
  const made = await davRequest(remote, 'MKCOL', path);
  if (made.status !== 405) return made;
  const there = await propfind(remote, path, '0', 'resourcetype');
  return there === undefined ? made : new Response(null, { status: 201 });
}
