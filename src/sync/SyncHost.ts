import type { Commands } from '../actor/command.ts';
import type { ActorEvent } from '../events/actorEvent.ts';
import type { ActorLocks } from '../mailbox/ActorLocks.ts';
import type { ActorDb } from '../store/openDb.ts';

/**
 * What sync needs of the host it runs in, and no more: the database, the
 * device id, the actors' locks (to commit what the remote confirmed), a way
 * to tell the tabs, and the options a fold and a confirmation read.
 */
export interface SyncHost {
  db(): Promise<ActorDb>;
  deviceId(): Promise<string>;
  locks: Pick<ActorLocks, 'run'>;
  emit(event: ActorEvent): void;
  config: {
    commands: Commands;
    commandsVersion: number;
    scope: string;
    turnTimeoutMs: number;
    remoteKeyTtlMs: number;
    retireAfterMs: number;
    checkpointEvery: number;
    receiptTtlMs: number;
  };
}
