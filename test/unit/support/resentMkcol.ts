import type { RemoteFetch } from '../../../src/webdav/remoteConfig.ts';

/**
 * A fetch that sends every MKCOL twice and hands back the second answer, as
 * Chromium does when the first one's answer is lost on a reused connection:
 * it resends the request, and the server, which made the collection the
 * first time, answers 405.
 */
export const resentMkcol: RemoteFetch = async (input, init) => {
  if (init.method === 'MKCOL') await fetch(input, init);
  return fetch(input, init);
};
