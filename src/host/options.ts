import type { Commands } from '../actor/command.ts';
import {
  normalizeRemoteChoice,
  type RemoteChoice,
  type RemoteChoiceOptions,
} from '../webdav/remoteChoice.ts';

/** Options of `createActorHost`; every one has a default. */
export interface ActorHostOptions {
  /** Commands run by `POST {scope}{id}/execute`, by the body's `type`. */
  commands?: Commands;
  /** Path prefix the host answers, on the worker's own origin. Default `/actors/`. */
  scope?: string;
  /** Largest accepted request body. Default 1 MiB. */
  maxBodyBytes?: number;
  /** How long a final receipt is kept. Default 24 h. */
  receiptTtlMs?: number;
  /** How long one command may run before its message fails with `turn-timeout`. Default 5 s. */
  turnTimeoutMs?: number;
  /** A second request with a key whose first is still running: wait for its answer, or `409`. Default `wait`. */
  onDuplicateInFlight?: 'wait' | 'reject';
  /** Messages one actor may have waiting before new ones get `503`. Default 1000. */
  maxPendingPerActor?: number;
  /** IndexedDB database name. Default `actordav`. */
  dbName?: string;
  /**
   * The WebDAV collection messages sync to; or a list of them, each actor living on the one
   * rendezvous hashing picks; or a function of the actor id. Without one, a message is done once
   * committed locally. An actor must stay on its server: changing the list moves some actors to
   * a server that lacks their history, which they report as `remote-rollback`.
   */
  remote?: RemoteChoiceOptions | undefined;
  /** How long a request waits for the remote's confirmation before it is answered `202`. Default 3 s. */
  confirmTimeoutMs?: number;
  /** How long the remote key registry remembers a key. Default 30 days. */
  remoteKeyTtlMs?: number;
  /**
   * A device none of whose messages the remote folded for this long keeps only its watermark there:
   * the answers it never read are dropped ([retirement](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#the-clock-the-key-ttl-and-retirement)). Default 30 days.
   */
  retireAfterMs?: number;
  /**
   * The version of `commands`, logged with every message this worker accepts.
   * Raise it when a release changes what a command does: an older worker then
   * leaves those messages for a worker that knows them ([rolling upgrades](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md#rolling-upgrades)). Default 0.
   */
  commandsVersion?: number;
  /**
   * The longest chain of deltas after a checkpoint on the remote: a new device reads at most this
   * many files past the checkpoint. A checkpoint also comes once the chain's bytes would pass the
   * checkpoint's ([checkpoints](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#when-a-writer-writes-a-checkpoint)). Default 2000: a
   * checkpoint holds every live key (about 75 bytes each), so a shorter chain makes every round pay
   * for more of it; a longer one makes a new device's first pull take more requests.
   */
  checkpointEvery?: number;
  /**
   * Runs every command twice on the same input and answers a difference
   * `500 command-nondeterministic` (a command calling `Date.now()` or
   * `Math.random()`), storing nothing. For development builds:
   * `checkDeterminism: import.meta.env.DEV`. Default false.
   */
  checkDeterminism?: boolean;
}

/** The options with every default filled in, checked once. */
export type HostConfig = Required<Omit<ActorHostOptions, 'remote'>> & {
  remote: RemoteChoice | undefined;
};

const commandName = /^[A-Za-z][A-Za-z0-9._:-]{0,63}$/;

/** Fills defaults and throws a TypeError or RangeError naming the first bad option. */
export function normalizeOptions(options: ActorHostOptions = {}): HostConfig {
  const config: HostConfig = {
    commands: options.commands ?? {},
    scope: options.scope ?? '/actors/',
    maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
    receiptTtlMs: options.receiptTtlMs ?? 24 * 60 * 60 * 1000,
    turnTimeoutMs: options.turnTimeoutMs ?? 5000,
    onDuplicateInFlight: options.onDuplicateInFlight ?? 'wait',
    maxPendingPerActor: options.maxPendingPerActor ?? 1000,
    dbName: options.dbName ?? 'actordav',
    remote: options.remote === undefined ? undefined : normalizeRemoteChoice(options.remote),
    confirmTimeoutMs: options.confirmTimeoutMs ?? 3000,
    remoteKeyTtlMs: options.remoteKeyTtlMs ?? 30 * 24 * 60 * 60 * 1000,
    retireAfterMs: options.retireAfterMs ?? 30 * 24 * 60 * 60 * 1000,
    commandsVersion: options.commandsVersion ?? 0,
    checkpointEvery: options.checkpointEvery ?? 2000,
    checkDeterminism: options.checkDeterminism ?? false,
  };
  // `.` and `..` segments would be folded away by URL parsing and never match.
  if (!/^\/([A-Za-z0-9._~-]+\/)*$/.test(config.scope) || /\/\.{1,2}\//.test(config.scope)) {
    throw new TypeError(
      `options.scope must be a path that starts and ends with "/", got ${JSON.stringify(config.scope)}`,
    );
  }
  positiveInteger('maxBodyBytes', config.maxBodyBytes);
  positiveInteger('receiptTtlMs', config.receiptTtlMs);
  positiveInteger('turnTimeoutMs', config.turnTimeoutMs);
  positiveInteger('maxPendingPerActor', config.maxPendingPerActor);
  positiveInteger('remoteKeyTtlMs', config.remoteKeyTtlMs);
  positiveInteger('retireAfterMs', config.retireAfterMs);
  positiveInteger('checkpointEvery', config.checkpointEvery);
  nonNegativeInteger('confirmTimeoutMs', config.confirmTimeoutMs);
  nonNegativeInteger('commandsVersion', config.commandsVersion);
  if (config.onDuplicateInFlight !== 'wait' && config.onDuplicateInFlight !== 'reject') {
    throw new TypeError('options.onDuplicateInFlight must be "wait" or "reject"');
  }
  if (typeof config.checkDeterminism !== 'boolean') {
    throw new TypeError('options.checkDeterminism must be a boolean');
  }
  if (typeof config.dbName !== 'string' || config.dbName === '') {
    throw new TypeError('options.dbName must be a non-empty string');
  }
  for (const [name, command] of Object.entries(config.commands)) {
    if (!commandName.test(name)) {
      throw new TypeError(
        `options.commands: "${name}" is not a valid command name (${commandName.source})`,
      );
    }
    if (typeof command !== 'function') {
      throw new TypeError(`options.commands.${name} must be a function`);
    }
  }
  return config;
}

function nonNegativeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`options.${name} must be an integer >= 0, got ${String(value)}`);
  }
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new RangeError(`options.${name} must be a positive integer, got ${String(value)}`);
  }
}
