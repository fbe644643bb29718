import type { DBSchema } from 'idb';
import type { JsonObject, Message } from '../actor/message.ts';
import type { StoredAnswer } from '../http/answer.ts';

/** Bump with a new step in `upgradeSchema` whenever a store or index changes. */
export const schemaVersion = 2;

/** One actor as this device knows it. */
export interface ActorRecord {
  id: string;
  /** The local state: the confirmed state with this device's pending messages applied. */
  state: JsonObject;
  etag: string;
  /** The state of the remote head version last read (or the local state with no remote). */
  confirmedState: JsonObject;
  /** The remote head version last read; 0 before the first. */
  version: number;
  /** The last message sequence number this device gave out for the actor. */
  seq: number;
  /** Messages up to this seq have their final answers here (schema 2; absent means 0). */
  acked?: number;
  /** When a sync round last finished (schema 2). */
  lastSyncedAt?: number;
  /** The nonce of `version`, the remote version last confirmed (absent: confirmed by older code, or none). */
  nonce?: string;
  /**
   * Fingerprints of the answers this device confirmed (by seq) that later
   * versions may still carry (past the device's `acked` there), so a version
   * that answers one differently is seen as a fork ([a sync round](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md#a-sync-round-syncround), step 6).
   */
  answers?: Record<string, string>;
}

export type ReceiptStatus = 'pending' | 'done' | 'failed';

/** What a key was answered with. A done or failed receipt is never overwritten. */
export interface ReceiptRecord {
  actorId: string;
  key: string;
  fingerprint: string;
  seq: number;
  status: ReceiptStatus;
  answer: StoredAnswer;
  createdAt: number;
  /** Set once the answer is final; pending receipts never expire. */
  expiresAt?: number;
}

/** An accepted message waiting for the remote; its acceptance time is fixed once. */
export interface OutboxRecord {
  actorId: string;
  seq: number;
  key: string;
  fingerprint: string;
  message: Message;
  at: number;
  /** The accepting worker's `commandsVersion`; absent in rows written before it was logged, which means 0. */
  commandsVersion?: number;
}

/** A fixed range of this device's messages, uploaded once as a log segment ([log segments](https://github.com/actordav/actordav/blob/main/docs/PROTOCOL.md#log-segments)). */
export interface SegmentRecord {
  actorId: string;
  first: number;
  last: number;
  name: string;
  body: string;
  uploaded: boolean;
}

/** The IndexedDB database `actordav` ([pieces](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md#pieces)), typed once for every store. */
export interface ActorDavSchema extends DBSchema {
  actors: { key: string; value: ActorRecord };
  receipts: {
    key: [string, string];
    value: ReceiptRecord;
    indexes: { 'by-expiry': number };
  };
  outbox: { key: [string, number]; value: OutboxRecord };
  segments: { key: [string, number]; value: SegmentRecord };
  meta: { key: string; value: string | number };
}
