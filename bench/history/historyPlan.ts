import { createHash } from 'node:crypto';
import type { LoggedMessage, Segment } from '../../src/sync/segmentFile.ts';

/**
 * The history an actor is given before the browser joins: `messages` messages
 * from three devices, folded `perVersion` at a time (one device's segment per
 * version, in turn), the versions spread evenly over `spanMs` and ending
 * `endAgoMs` before the run. Every key stays live (the remote keeps keys 30
 * days) and every device stays active (one silent 30 days is retired).
 */
export interface HistoryPlan {
  actorId: string;
  messages: number;
  perVersion: number;
  devices: readonly string[];
  /** The clock of the last version of the history (ms). */
  endAt: number;
  spanMs: number;
  /** The scope of the browser's host: folded answers carry it in their `Location`. */
  scope: string;
}

const day = 24 * 60 * 60 * 1000;

/** Device ids of the history's writers; the browser is a fourth device. */
export const historyDevices = [
  'aaaaaaaa-0000-4000-8000-00000000000a',
  'bbbbbbbb-0000-4000-8000-00000000000b',
  'cccccccc-0000-4000-8000-00000000000c',
] as const;

export function historyPlan(messages: number, actorId: string, scope: string): HistoryPlan {
  if (!Number.isSafeInteger(messages / 10) || messages < 100) {
    throw new RangeError(`a history is a multiple of 10 messages, at least 100; got ${messages}`);
  }
  return {
    actorId,
    messages,
    perVersion: 10,
    devices: historyDevices,
    endAt: Date.now() - 60 * 60 * 1000,
    spanMs: 20 * day,
    scope,
  };
}

/** How many versions the history has. */
export function versionCount(plan: HistoryPlan): number {
  return Math.ceil(plan.messages / plan.perVersion);
}

/** Version k's clock: the last at `endAt`, the first `spanMs` before it. */
export function versionClock(plan: HistoryPlan, k: number): number {
  const versions = versionCount(plan);
  return Math.round(plan.endAt - ((versions - k) * plan.spanMs) / versions);
}

/** The device that wrote version k's messages. */
export function versionDevice(plan: HistoryPlan, k: number): string {
  return plan.devices[(k - 1) % plan.devices.length] as string;
}

/** The last seq device `d` (an index into `devices`) has written by the end of version k. */
export function seqAfter(plan: HistoryPlan, d: number, k: number): number {
  const devices = plan.devices.length;
  // Versions d+1, d+1+devices, … up to k are this device's, each `perVersion` messages.
  const own = k <= d ? 0 : Math.floor((k - d - 1) / devices) + 1;
  return own * plan.perVersion;
}

/** What the browser sends in every round (`POST …/execute`), and what the history's devices sent. */
export const roundBody = { type: 'add', amount: 1 };

/** The segment version k folds: `perVersion` messages of its device, with random UUID keys. */
export function versionSegment(plan: HistoryPlan, k: number): Segment {
  const d = (k - 1) % plan.devices.length;
  const deviceId = versionDevice(plan, k);
  const first = seqAfter(plan, d, k - 1) + 1;
  const at = versionClock(plan, k) - 1000;
  const messages: LoggedMessage[] = Array.from({ length: plan.perVersion }, (_, i) => {
    const key = crypto.randomUUID();
    return {
      seq: first + i,
      key,
      // A request fingerprint is a SHA-256 in hex, as the worker computes it.
      fingerprint: createHash('sha256').update(`POST ${key}`).digest('hex'),
      message: { type: roundBody.type, payload: { ...roundBody } },
      at,
    };
  });
  return {
    format: 1,
    actorId: plan.actorId,
    deviceId,
    first,
    last: first + plan.perVersion - 1,
    messages,
  };
}
