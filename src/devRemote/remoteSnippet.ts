import type { BasicCredentials } from './checkBasicAuth.ts';

/**
 * The `remote` option of `createActorHost` for a collection, as text to paste: credentials go
 * in `headers`, which stay in the worker (README, options of createActorHost).
 */
export function remoteSnippet(url: string, auth: BasicCredentials | undefined): string {
  if (auth === undefined) return `remote: { url: ${JSON.stringify(url)} },`;
  const token = Buffer.from(`${auth.username}:${auth.password}`).toString('base64');
  return `remote: { url: ${JSON.stringify(url)}, headers: { authorization: ${JSON.stringify(`Basic ${token}`)} } },`;
}
