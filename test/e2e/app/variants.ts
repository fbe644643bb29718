import type { ActorHostOptions } from '../../../src/sw.ts';

/** Worker configurations the tests need, each served under `/{name}/` with its own scope. */
export const variants: Record<string, Omit<ActorHostOptions, 'commands' | 'scope'>> = {
  default: {},
  sync: {},
  'short-ttl': { receiptTtlMs: 1500 },
  reject: { onDuplicateInFlight: 'reject' },
  tight: { maxPendingPerActor: 3, maxBodyBytes: 2048, turnTimeoutMs: 300 },
};
