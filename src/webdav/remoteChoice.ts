import { SyncError } from '../errors/SyncError.ts';
import { normalizeRemote, type RemoteConfig, type RemoteOptions } from './remoteConfig.ts';

/**
 * The `remote` option: one WebDAV collection; a list of them, each actor
 * living on the one rendezvous hashing picks; or a function of the actor id.
 * Each actor lives on exactly one server, so actors spread over as many
 * servers as needed with no coordination between them ([terms: remote](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#remote-format-and-sync-protocol)).
 */
export type RemoteChoiceOptions =
  RemoteOptions | readonly RemoteOptions[] | ((actorId: string) => RemoteOptions);

/** Which remote an actor lives on. */
export interface RemoteChoice {
  /** Throws a `remote-config` SyncError when a function gives a bad remote for this actor. */
  forActor(actorId: string): RemoteConfig;
}

/** Checks the `remote` option once, throwing a TypeError or RangeError that names what is wrong. */
export function normalizeRemoteChoice(options: RemoteChoiceOptions): RemoteChoice {
  if (typeof options === 'function') return fromFunction(options);
  if (!Array.isArray(options)) {
    const remote = normalizeRemote(options as RemoteOptions);
    return { forActor: () => remote };
  }
  const list = options as readonly RemoteOptions[];
  if (list.length === 0) throw new TypeError('options.remote must not be an empty list');
  const remotes = list.map((option, index) => {
    try {
      return normalizeRemote(option);
    } catch (error) {
      throw relabel(error, `options.remote[${index}]`);
    }
  });
  const urls = new Set(remotes.map((remote) => remote.url));
  if (urls.size !== remotes.length) {
    throw new TypeError('options.remote lists one collection URL twice');
  }
  return { forActor: (actorId) => rendezvous(remotes, actorId) };
}

/**
 * The remote with the highest score for this actor (highest random weight):
 * adding a server moves only the actors it now wins, about 1/n of them.
 */
export function rendezvous(remotes: readonly RemoteConfig[], actorId: string): RemoteConfig {
  let best = remotes[0];
  let bestScore = -1;
  for (const remote of remotes) {
    const score = mix(`${remote.url}\n${actorId}`);
    if (score > bestScore || (score === bestScore && best !== undefined && remote.url < best.url)) {
      best = remote;
      bestScore = score;
    }
  }
  if (best === undefined) throw new RangeError('rendezvous needs at least one remote');
  return best;
}

// FNV-1a over UTF-16 code units, then murmur3's finalizer so near-equal inputs score far apart.
function mix(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  }
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

function fromFunction(choose: (actorId: string) => RemoteOptions): RemoteChoice {
  // Asked once per actor and worker: an actor never moves between servers while a worker runs.
  const byActor = new Map<string, RemoteConfig>();
  return {
    forActor(actorId) {
      const known = byActor.get(actorId);
      if (known !== undefined) return known;
      let remote: RemoteConfig;
      try {
        remote = normalizeRemote(choose(actorId));
      } catch (cause) {
        const why = cause instanceof Error ? cause.message : String(cause);
        throw new SyncError(
          'remote-config',
          `options.remote(${JSON.stringify(actorId)}) gave no usable remote: ${why}`,
          { cause },
        );
      }
      byActor.set(actorId, remote);
      return remote;
    },
  };
}

function relabel(error: unknown, name: string): unknown {
  if (!(error instanceof TypeError) && !(error instanceof RangeError)) return error;
  const Kind = error instanceof TypeError ? TypeError : RangeError;
  return new Kind(error.message.replace('options.remote', name), { cause: error });
}
