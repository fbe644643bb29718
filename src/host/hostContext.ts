import type { VersionedState } from '../actor/applyMessage.ts';
import { canonicalJson } from '../actor/canonicalJson.ts';
import { eventChannelName, type ActorEvent } from '../events/actorEvent.ts';
import { stateEtag } from '../actor/stateEtag.ts';
import type { ActorRecord } from '../store/schema.ts';
import { deviceId } from '../store/deviceId.ts';
import { openDb, type ActorDb } from '../store/openDb.ts';
import { SharedTransactions } from '../store/SharedTransactions.ts';
import { ActorLocks } from '../mailbox/ActorLocks.ts';
import type { HostConfig } from './options.ts';

/** What every part of one host shares: config, database and its shared transactions, locks, device id. */
export interface HostContext {
  config: HostConfig;
  db(): Promise<ActorDb>;
  deviceId(): Promise<string>;
  /** The actors' Web Locks, leased by this worker. */
  locks: ActorLocks;
  /** Reads of the message stores, sharing transactions across actors. */
  reads: SharedTransactions<'readonly'>;
  /** Strict writes of the message stores, sharing transactions across actors. */
  writes: SharedTransactions<'readwrite'>;
  /** An actor's current local state; an actor never written starts as `{}`. */
  versionedState(record: ActorRecord | undefined): Promise<VersionedState>;
  /** Tells every tab (BroadcastChannel), in order, once the current task is done. */
  emit(event: ActorEvent): void;
}

/**
 * How long this worker keeps an idle actor's lock: long enough to span the
 * gaps of a busy actor (50 actors at 500 messages/s come back every 100 ms),
 * short enough that a new worker version waits unnoticed.
 */
const lockLeaseMs = 100;

export function createHostContext(config: HostConfig): HostContext {
  let device: Promise<string> | undefined;
  let empty: Promise<VersionedState> | undefined;
  let channel: BroadcastChannel | undefined;
  const unsent: ActorEvent[] = [];
  const db = () => openDb(config.dbName);
  return {
    config,
    db,
    locks: new ActorLocks(lockLeaseMs),
    reads: new SharedTransactions(db, 'readonly'),
    writes: new SharedTransactions(db, 'readwrite', { durability: 'strict' }),
    deviceId() {
      device ??= db().then(deviceId);
      device.catch(() => (device = undefined));
      return device;
    },
    versionedState(record) {
      if (record !== undefined) {
        return Promise.resolve({ state: record.state, etag: record.etag });
      }
      empty ??= stateEtag(canonicalJson({})).then((etag) => ({ state: {}, etag }));
      return empty;
    },
    emit(event) {
      // Posted in a later task, after the answers of the turn that made them: telling the tabs never delays a response.
      if (unsent.push(event) > 1) return;
      setTimeout(() => {
        const events = unsent.splice(0);
        if (typeof BroadcastChannel !== 'function') return;
        try {
          channel ??= new BroadcastChannel(eventChannelName);
          for (const queued of events) channel.postMessage(queued);
        } catch (error) {
          // Events are news, not state (pages read the truth from the host): a lost one must not stop the next.
          console.warn('actordav: could not tell the tabs', error);
        }
      });
    },
  };
}
