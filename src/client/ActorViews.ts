import type { ActorAnswer } from './ActorResult.ts';

/** `actor.state()`: the actor's local state and its ETag (a hash of its content). */
export interface StateSnapshot<S extends object = Record<string, unknown>> {
  state: S;
  etag: string;
}

/** `actor.status()`: the worker's `GET {scope}{id}/status`. */
export interface ActorStatus {
  id: string;
  /** The remote version this device holds (0: none yet). */
  version: number;
  seq: number;
  /** Messages accepted on this device that the remote has not confirmed. */
  pending: number;
  lastSyncedAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
  syncing: boolean;
  /**
   * The remote and the probe's verdict on it (re-checked daily, a failed one
   * after 10 minutes); `ifNoneMatch: 'ignored'` means the server overwrites
   * despite `If-None-Match: *`, so two installs sharing a device id cannot be
   * detected there.
   */
  remote: {
    url: string;
    probe: 'unknown' | 'passed' | { code: string; message: string; checkedAt: string };
    ifNoneMatch: 'honoured' | 'ignored' | 'unknown';
  } | null;
}

/** `actor.receipt(key)`: the receipt the worker keeps under a key, and its stored answer. */
export interface ActorReceipt {
  actorId: string;
  key: string;
  status: 'pending' | 'done' | 'failed';
  seq: number;
  createdAt: string;
  expiresAt: string | null;
  answer: ActorAnswer;
}
