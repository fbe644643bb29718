import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { propfind } from '../webdav/propfind.ts';
import { SyncError } from '../errors/SyncError.ts';
import { ownPath, trimSlash } from './listCollection.ts';
import { remotePaths } from './remotePaths.ts';

/** The highest number a 12-digit folder name holds. */
const lastNumber = 10 ** 12 - 1;

/**
 * The highest claimed version number of an actor, found without listing
 * `v/` ([finding the head](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#finding-the-head)): numbers are claimed in order and never freed (a
 * removed version keeps its folder), so from `known` (a number this device
 * saw claimed, 0 when new) it asks whether `v/{k}/` exists at known+1,
 * known+2, known+4, … until one is missing, then bisects. An unchanged head
 * costs one request, a new device O(log n). `known` is trusted: a caller
 * that finds it gone (a remote restored from an older copy) asks again from 0.
 */
export async function findHeadNumber(
  remote: RemoteConfig,
  actorId: string,
  known: number,
): Promise<number> {
  const exists = async (n: number) => {
    const path = remotePaths.version(actorId, n);
    if (n > lastNumber) {
      throw new SyncError('remote-protocol', `PROPFIND ${path}: every version number exists`);
    }
    const entries = await propfind(remote, path, '0', 'resourcetype');
    if (entries === undefined) return false;
    const own = ownPath(remote, path);
    if (!entries.some((entry) => trimSlash(entry.href) === own)) {
      throw new SyncError(
        'remote-protocol',
        `PROPFIND ${path}: the answer describes other resources`,
      );
    }
    return true;
  };
  let present = known;
  let step = 1;
  let missing = present + step;
  while (await exists(missing)) {
    present = missing;
    step *= 2;
    missing = present + step;
  }
  while (missing - present > 1) {
    const middle: number = present + Math.floor((missing - present) / 2);
    if (await exists(middle)) present = middle;
    else missing = middle;
  }
  return present;
}
