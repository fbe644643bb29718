import type { ReceiptStatus } from '../store/schema.ts';

/** The BroadcastChannel every tab hears the worker on. */
export const eventChannelName = 'actordav';

/** A receipt was written: a message accepted (often `pending`) or confirmed (`done`/`failed`). */
export interface ReceiptEvent {
  type: 'receipt';
  actorId: string;
  key: string;
  seq: number;
  status: ReceiptStatus;
  /** The HTTP status of the stored answer. */
  answerStatus: number;
}

/** A sync round of an actor started, finished, or stopped on an error. */
export interface SyncEvent {
  type: 'sync';
  actorId: string;
  phase: 'started' | 'synced' | 'failed';
  /** The remote version this device holds after the round. */
  version: number;
  /** Messages still waiting for the remote. */
  pending: number;
  error: { code: string; message: string } | null;
}

/** What the worker broadcasts to every tab. Never carries credentials or message bodies. */
export type ActorEvent = ReceiptEvent | SyncEvent;
