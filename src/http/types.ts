import type { ProblemCode } from '../errors/problemCodes.ts';
import type { SyncErrorCode } from '../errors/SyncError.ts';

// The JSON bodies of the worker's HTTP surface, written once: the worker builds them with these
// types and the page reads them with the same ones, so the two cannot drift apart. Types only: the
// page bundle takes no worker code from here. Specified in docs/PROTOCOL.md, "Answers".

/** An RFC 9457 problem+json body as the worker writes it: always with a stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  instance?: string;
  [extension: string]: unknown;
}

/** An answer as JSON: status, header names lower-case, and the body (parsed when it is JSON). */
export interface ActorAnswer<B = unknown> {
  status: number;
  headers: Record<string, string>;
  body: B;
}

/**
 * The body of the worker's answer to an accepted message: the final
 * `result`, or while pending the result computed locally (or the local
 * rejection as `problem`, which the remote may yet overturn).
 */
export interface MessageBody<R = unknown> {
  key: string;
  status: 'done' | 'pending';
  result: R | null;
  problem?: Problem;
}

/** Why the last sync round of an actor stopped (`lastError` in its status). */
export interface SyncProblem {
  code: SyncErrorCode;
  message: string;
  /** When it happened (ISO 8601). */
  at: string;
}

/** The remote an actor lives on, and the probe's verdict on it. */
export interface RemoteStatus {
  url: string;
  probe: 'unknown' | 'passed' | { code: string; message: string; checkedAt: string };
  /**
   * Whether the server refused to overwrite despite `If-None-Match: *`; where it is
   * `ignored`, two installs sharing a device id cannot be detected.
   */
  ifNoneMatch: 'honoured' | 'ignored' | 'unknown';
}

/**
 * A device's messages on the remote that this worker's fold cannot run
 * (`heldBack` in status): the first such message, which with the device's
 * later messages waits for a worker that can (a newer release, a faster
 * device). Another device's are normal during a rolling upgrade; this
 * device's own (`own`) are not confirmed until some device folds them.
 */
export interface HeldBack {
  deviceId: string;
  own: boolean;
  seq: number;
  key: string;
  /** The message's command. */
  type: string;
  /**
   * `commands-newer`: logged by a release with a higher `commandsVersion`;
   * `unknown-command`: this release has no such command; `turn-timeout`,
   * `command-invalid`, `command-nondeterministic`: the command failed here
   * in a way that says what this device or release is, not what the message means.
   */
  code:
    | 'commands-newer'
    | 'unknown-command'
    | 'turn-timeout'
    | 'command-invalid'
    | 'command-nondeterministic';
  /** The `commandsVersion` the message was logged with (0 when its release had none). */
  commandsVersion: number;
}

/** `GET {scope}{id}/status`. */
export interface ActorStatus {
  id: string;
  /** The remote version this device holds (0: none yet). */
  version: number;
  seq: number;
  /** Messages accepted on this device that the remote has not confirmed. */
  pending: number;
  lastSyncedAt: string | null;
  lastError: SyncProblem | null;
  syncing: boolean;
  /** What the last round's fold could not run, one entry per device; empty when it ran everything. */
  heldBack: HeldBack[];
  /** The remote and the probe's verdict on it (re-checked daily, a failed one after 10 minutes). */
  remote: RemoteStatus | null;
}

/** `GET {scope}{id}/tasks/{key}`: the receipt kept under a key, and its stored answer. */
export interface ActorReceipt {
  actorId: string;
  key: string;
  status: 'pending' | 'done' | 'failed';
  seq: number;
  createdAt: string;
  expiresAt: string | null;
  answer: ActorAnswer;
}
