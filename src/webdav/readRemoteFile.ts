import { davRequest, unexpected } from './davRequest.ts';
import type { RemoteConfig } from './remoteConfig.ts';

/** GET of a file on the remote: its text, or undefined when it does not exist (404). */
export async function readRemoteFile(
  remote: RemoteConfig,
  path: string,
): Promise<string | undefined> {
  const response = await davRequest(remote, 'GET', path);
  if (response.status === 404) return undefined;
  if (!response.ok) throw unexpected('GET', path, response);
  return response.text();
}
