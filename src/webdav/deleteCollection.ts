import { isUnanswered, SyncError } from '../errors/SyncError.ts';
import { davRequest, unexpected } from './davRequest.ts';
import type { RemoteConfig } from './remoteConfig.ts';
import { sleep } from '../timers/sleep.ts';

/** How often a failed DELETE is tried in all, and the longest wait before the first retry. */
export interface DeleteRetries {
  attempts?: number;
  baseDelayMs?: number;
}

/**
 * Removes a collection and all it holds (a staging or scratch folder); 404
 * means it is gone already. A 5xx, a 207 (a member could not be removed, RFC
 * 4918 §9.6.1) or no answer seen (`isUnanswered`) is tried again, `attempts` times
 * in all, after waits that double (full jitter). Rejects when the folder
 * stays: one left behind is reported, never silently kept.
 */
export async function deleteCollection(
  remote: RemoteConfig,
  path: string,
  { attempts = 4, baseDelayMs = 250 }: DeleteRetries = {},
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const failure = await tryDelete(remote, path);
    if (failure === undefined) return;
    if (attempt >= attempts) {
      throw new SyncError(
        failure.code,
        `${failure.message}: ${path} is left on the remote after ${attempts} attempts`,
        { cause: failure, ...(failure.status === undefined ? {} : { status: failure.status }) },
      );
    }
    await sleep(Math.random() * baseDelayMs * 2 ** (attempt - 1));
  }
}

/** Undefined when the folder is gone; a failure worth another try; throws any other. */
async function tryDelete(remote: RemoteConfig, path: string): Promise<SyncError | undefined> {
  let response: Response;
  try {
    response = await davRequest(remote, 'DELETE', path);
  } catch (error) {
    if (isUnanswered(error)) return error;
    throw error;
  }
  if (response.status === 404 || (response.ok && response.status !== 207)) return undefined;
  if (response.status === 207 || response.status >= 500) {
    return new SyncError('remote-server-error', `DELETE ${path}: ${response.status}`, {
      status: response.status,
    });
  }
  throw unexpected('DELETE', path, response);
}
