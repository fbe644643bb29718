import type { VersionedState } from '../actor/applyMessage.ts';
import { canonicalJson } from '../actor/canonicalJson.ts';
import { stateEtag } from '../actor/stateEtag.ts';
import type { ActorRecord } from '../store/schema.ts';

// The ETag of `{}` is the same for every actor and every host: hashed once.
let empty: Promise<VersionedState> | undefined;

/** An actor's current local state; an actor never written starts as `{}`. */
export function versionedState(record: ActorRecord | undefined): Promise<VersionedState> {
  if (record !== undefined) {
    return Promise.resolve({ state: record.state, etag: record.etag });
  }
  empty ??= stateEtag(canonicalJson({})).then((etag) => ({ state: {}, etag }));
  return empty;
}
