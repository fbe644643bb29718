/**
 * Paths on the remote, relative to its collection URL ([remote layout](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#remote-layout)). Actor
 * ids were validated to unreserved characters and device ids are UUIDs, so
 * nothing here can leave `{remote}/{actorId}/`; encodeURIComponent is the
 * second lock on that door.
 */
export const remotePaths = {
  actor: (actorId: string) => `${encodeURIComponent(actorId)}/`,
  log: (actorId: string) => `${remotePaths.actor(actorId)}log/`,
  segment: (actorId: string, name: string) =>
    `${remotePaths.log(actorId)}${encodeURIComponent(name)}`,
  versions: (actorId: string) => `${remotePaths.actor(actorId)}v/`,
  version: (actorId: string, n: number) => `${remotePaths.versions(actorId)}${versionName(n)}/`,
  versionFile: (actorId: string, n: number) => `${remotePaths.version(actorId, n)}state.json`,
  /** The claim file a version's folder holds beside its state: its nonce, cheap to read back. */
  versionClaim: (actorId: string, n: number) => `${remotePaths.version(actorId, n)}${claimName}`,
  /** The tombstone a removed version leaves, so its number can never be claimed again ([gone.json](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#claimjson-and-gonejson)). */
  versionGone: (actorId: string, n: number) => `${remotePaths.version(actorId, n)}gone.json`,
  stagingRoot: (actorId: string) => `${remotePaths.actor(actorId)}staging/`,
  staging: (actorId: string, deviceId: string, nonce: string) =>
    `${remotePaths.stagingRoot(actorId)}${encodeURIComponent(`${deviceId}-${nonce}`)}/`,
};

/** The name of the file that stamps a claim with the remote's clock and names its nonce. */
export const claimName = 'claim.json';

/** A version's folder name: 12 digits, zero-padded, so names sort as numbers. */
export function versionName(n: number): string {
  return String(n).padStart(12, '0');
}

/** The version number of a `v/` child's name, or undefined for anything else. */
export function parseVersionName(name: string): number | undefined {
  return /^\d{12}$/.test(name) ? Number(name) : undefined;
}

/** The last segment of a listed href (collections end with `/`). */
export function childName(href: string): string {
  const trimmed = href.endsWith('/') ? href.slice(0, -1) : href;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}
