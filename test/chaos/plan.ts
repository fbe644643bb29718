import type { FaultKind, FaultRule } from '../servers/faultProxy.ts';
import { seededRandom, type Random } from './prng.ts';

/** How big a run is: `default` finishes within 10 minutes on a 2-core machine, `ci` within 3. */
export type ChaosSize = 'default' | 'ci';

export interface ChaosSizing {
  readonly actors: number;
  /** Unique keys sent by device A (4 tabs), device B (1 tab) and device C (1 tab, clock skewed). */
  readonly uniqueA: number;
  readonly uniqueB: number;
  readonly uniqueC: number;
  /** Of device B's unique keys, how many are `refund`s: the command only the next release has. */
  readonly refundsB: number;
  /**
   * Device C writes only to the first this many actors (and folds only those); 0: no device C
   * in this size (no skewed-clock browser at all).
   */
  readonly actorsC: number;
  readonly rounds: number;
  readonly restartsA: number;
  readonly restartsB: number;
  /** Rounds in which the server checks and then renames (`raceMove` on every MOVE). */
  readonly raceRounds: number;
}

export const sizes: Record<ChaosSize, ChaosSizing> = {
  default: {
    actors: 50,
    uniqueA: 2400,
    uniqueB: 600,
    uniqueC: 150,
    refundsB: 120,
    actorsC: 12,
    rounds: 24,
    restartsA: 5,
    restartsB: 2,
    raceRounds: 2,
  },
  ci: {
    actors: 50,
    uniqueA: 800,
    uniqueB: 250,
    // No device C: Chromium under libfaketime takes 80–106 s just to open the app, which makes
    // the run ~270 s instead of ~125 s. The skewed-clock rule is proved in CI by syncRound's unit
    // tests, and locally by test/e2e/sync/skewedClock.spec.ts and the default size.
    uniqueC: 0,
    refundsB: 50,
    actorsC: 0,
    rounds: 12,
    restartsA: 2,
    restartsB: 1,
    raceRounds: 1,
  },
};

/** Tabs of device A. */
export const tabsA = 4;
/** Share of unique keys sent more than once with the same key. */
const resendShare = 0.3;
/** The fault kinds the proxy injects (test/servers/faultProxy.ts). */
export const faultKinds: readonly FaultKind[] = ['drop', 'delay', 'unavailable', 'lostAck'];

export type DeviceName = 'A' | 'B' | 'C';
export const deviceNames: readonly DeviceName[] = ['A', 'B', 'C'];

/**
 * One message with its own key for one actor: a task (`PUT tasks`, body `{k: key}`), or a
 * `refund` of 1 (`POST execute`), which only the next release's worker (device B) has.
 */
export interface Message {
  readonly device: DeviceName;
  readonly actor: string;
  readonly key: string;
  readonly kind: 'task' | 'refund';
}

export type RestartKind = 'close' | 'kill';

export interface RoundPlan {
  readonly index: number;
  /** Device A's batch for each of its tabs; a key may repeat across tabs and rounds (a resend). */
  readonly tabs: Message[][];
  readonly deviceB: Message[];
  readonly deviceC: Message[];
  /** Injected at the start of the round (the previous round's rules are cleared). */
  readonly faults: FaultRule[];
  /** The server checks and then renames all round long: every MOVE with `Overwrite: F` races. */
  readonly racing: boolean;
  /** Offsets (ms from the round's start) at which each device's worker is stopped through CDP. */
  readonly stopsA: number[];
  readonly stopsB: number[];
  readonly stopsC: number[];
  /** The browser of a device closed (or killed) at an offset and reopened on the same profile. */
  readonly restartA: { atMs: number; kind: RestartKind } | undefined;
  readonly restartB: { atMs: number; kind: RestartKind } | undefined;
}

export interface ChaosPlan {
  readonly seed: number;
  readonly size: ChaosSize;
  readonly actors: string[];
  readonly rounds: RoundPlan[];
  /** The serial oracle: every unique task key, by actor. */
  readonly oracle: Map<string, Set<string>>;
  /** Every unique refund key, by actor: each must take effect exactly once (total −1 each). */
  readonly refunds: Map<string, Set<string>>;
  /** Every unique message, by `actor/key`. */
  readonly messages: Map<string, Message>;
  /** The actors device C writes to (and so syncs). */
  readonly actorsC: string[];
  /** Planned sends of a key already planned once (concurrent duplicates and late retries). */
  readonly plannedResends: number;
  /** Unique keys planned to be sent more than once. */
  readonly resentKeys: number;
}

const faultMethods = [undefined, undefined, 'PUT', 'MOVE', 'PROPFIND', 'GET', 'MKCOL'] as const;

/** The whole schedule, a pure function of the seed and the size. */
export function makePlan(seed: number, size: ChaosSize): ChaosPlan {
  const sizing = sizes[size];
  const random = seededRandom(seed);
  const actors = Array.from(
    { length: sizing.actors },
    (_, index) => `act-${String(index).padStart(2, '0')}`,
  );
  const racing = raceRounds(sizing, random);
  const rounds: RoundPlan[] = Array.from({ length: sizing.rounds }, (_, index) => ({
    index,
    tabs: Array.from({ length: tabsA }, () => []),
    deviceB: [],
    deviceC: [],
    faults: racing.has(index) ? raceFaults(random) : makeFaults(random, index),
    racing: racing.has(index),
    stopsA: Array.from({ length: random.between(0, 2) }, () => random.between(0, 3000)),
    stopsB: Array.from({ length: random.between(0, 1) }, () => random.between(0, 3000)),
    stopsC: Array.from({ length: random.between(0, 1) }, () => random.between(0, 3000)),
    restartA: undefined,
    restartB: undefined,
  }));
  const oracle = new Map(actors.map((actor) => [actor, new Set<string>()]));
  const refunds = new Map(actors.map((actor) => [actor, new Set<string>()]));
  const messages = new Map<string, Message>();
  const actorsC = actors.slice(0, sizing.actorsC);
  let plannedResends = 0;
  let resentKeys = 0;

  const place = (
    device: DeviceName,
    count: number,
    targets: readonly string[],
    refundShare = 0,
  ) => {
    for (let i = 0; i < count; i++) {
      // The first messages of each device cover its actors; then a few hot actors get half the traffic.
      const actor =
        i < targets.length
          ? (targets[i] as string)
          : random.chance(0.5)
            ? random.pick(targets.slice(0, 8))
            : random.pick(targets);
      // Never a refund first: the actor's first message makes the device know it (and sync it).
      const kind = i >= targets.length && random.chance(refundShare) ? 'refund' : 'task';
      const key = `${device.toLowerCase()}${kind === 'refund' ? 'r' : ''}-${String(i).padStart(5, '0')}-${random.int(0x1000000).toString(16)}`;
      const message: Message = { device, actor, key, kind };
      (kind === 'refund' ? refunds : oracle).get(actor)?.add(key);
      messages.set(`${actor}/${key}`, message);
      const round = Math.floor((i * sizing.rounds) / count);
      batchOf(rounds, device, round, random).push(message);
      if (!random.chance(resendShare)) continue;
      resentKeys += 1;
      const extra = random.chance(0.75) ? 1 : random.between(2, 3);
      for (let r = 0; r < extra; r++) {
        // Half are concurrent duplicates (another tab, same round), half late retries.
        const later = random.chance(0.5)
          ? round
          : Math.min(sizing.rounds - 1, round + random.between(1, 3));
        batchOf(rounds, device, later, random).push(message);
        plannedResends += 1;
      }
    }
  };
  place('A', sizing.uniqueA, actors);
  place('B', sizing.uniqueB, actors, sizing.refundsB / (sizing.uniqueB - actors.length));
  place('C', sizing.uniqueC, actorsC);

  for (const round of rounds) {
    for (const batch of [...round.tabs, round.deviceB, round.deviceC]) shuffle(batch, random);
  }
  // Restarts: never in the first or the last round, at most one per round and device.
  const restartRounds = (count: number) => {
    const chosen = new Set<number>();
    while (chosen.size < Math.min(count, sizing.rounds - 2)) {
      chosen.add(random.between(1, sizing.rounds - 2));
    }
    return chosen;
  };
  const restartsA = restartRounds(sizing.restartsA);
  const restartsB = restartRounds(sizing.restartsB);
  // Kinds alternate from a random start, so a run with two restarts has a close and a kill.
  let kind: RestartKind = random.chance(0.5) ? 'kill' : 'close';
  const restartAt = () => {
    kind = kind === 'kill' ? 'close' : 'kill';
    return { atMs: random.between(100, 2500), kind };
  };
  const withRestarts = rounds.map((round) => ({
    ...round,
    restartA: restartsA.has(round.index) ? restartAt() : undefined,
    restartB: restartsB.has(round.index) ? restartAt() : undefined,
  }));
  return {
    seed,
    size,
    actors,
    rounds: withRestarts,
    oracle,
    refunds,
    messages,
    actorsC,
    plannedResends,
    resentKeys,
  };
}

function batchOf(rounds: RoundPlan[], device: DeviceName, index: number, random: Random) {
  const round = rounds[index];
  if (round === undefined) throw new RangeError(`no round ${index}`);
  if (device === 'B') return round.deviceB;
  if (device === 'C') return round.deviceC;
  return round.tabs[random.int(tabsA)] as Message[];
}

/**
 * The racing rounds: never the first (every worker has passed its probe by then) nor the last
 * two (the race must end, and the verdict be checked again, while there is traffic), nor an
 * outage round.
 */
function raceRounds(sizing: ChaosSizing, random: Random): Set<number> {
  const chosen = new Set<number>();
  const candidates = Array.from({ length: sizing.rounds }, (_, i) => i).filter(
    (i) => i > 0 && i < sizing.rounds - 2 && i % 6 !== 0,
  );
  while (chosen.size < Math.min(sizing.raceRounds, candidates.length)) {
    chosen.add(random.pick(candidates));
  }
  return chosen;
}

/**
 * A server that checks and then renames (SabreDAV-like): every MOVE with `Overwrite: F` checks
 * its destination, waits, then renames over whatever landed meanwhile. Alone: a fault that cut
 * the probe short would only put it off (a probe cut short runs again, later).
 */
function raceFaults(random: Random): FaultRule[] {
  return [{ fault: 'raceMove', method: 'MOVE', delayMs: random.between(100, 300) }];
}
function makeFaults(random: Random, index: number): FaultRule[] {
  if (index > 0 && index % 6 === 0) {
    // An outage: the remote answers 503 to everything for a while.
    return [{ fault: 'unavailable', times: random.between(20, 60) }];
  }
  return Array.from({ length: random.between(1, 3) }, () => {
    const fault = random.pick(faultKinds);
    const method = random.pick(faultMethods);
    return {
      fault,
      ...(method === undefined ? {} : { method }),
      times: random.between(1, 6),
      ...(fault === 'delay' ? { delayMs: random.between(100, 1500) } : {}),
    };
  });
}

function shuffle<T>(items: T[], random: Random): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}
