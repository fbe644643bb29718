import type { FaultKind, FaultRule } from '../servers/faultProxy.ts';
import { seededRandom, type Random } from './prng.ts';

/** How big a run is: `default` finishes within 10 minutes on a 2-core machine, `ci` within 3. */
export type ChaosSize = 'default' | 'ci';

export interface ChaosSizing {
  readonly actors: number;
  /** Unique keys sent by device A (4 tabs) and device B (1 tab). */
  readonly uniqueA: number;
  readonly uniqueB: number;
  readonly rounds: number;
  readonly restartsA: number;
  readonly restartsB: number;
}

export const sizes: Record<ChaosSize, ChaosSizing> = {
  default: { actors: 50, uniqueA: 2400, uniqueB: 600, rounds: 24, restartsA: 5, restartsB: 2 },
  ci: { actors: 50, uniqueA: 900, uniqueB: 300, rounds: 12, restartsA: 2, restartsB: 1 },
};

/** Tabs of device A. */
export const tabsA = 4;
/** Share of unique keys sent more than once with the same key. */
const resendShare = 0.3;
/** The fault kinds the proxy injects (test/servers/faultProxy.ts). */
export const faultKinds: readonly FaultKind[] = ['drop', 'delay', 'unavailable', 'lostAck'];

export type DeviceName = 'A' | 'B';

/** One message: a task with its own key for one actor (its body is `{k: key}`). */
export interface Message {
  readonly device: DeviceName;
  readonly actor: string;
  readonly key: string;
}

export type RestartKind = 'close' | 'kill';

export interface RoundPlan {
  readonly index: number;
  /** Device A's batch for each of its tabs; a key may repeat across tabs and rounds (a resend). */
  readonly tabs: Message[][];
  readonly deviceB: Message[];
  /** Injected at the start of the round (the previous round's rules are cleared). */
  readonly faults: FaultRule[];
  /** Offsets (ms from the round's start) at which each device's worker is stopped through CDP. */
  readonly stopsA: number[];
  readonly stopsB: number[];
  /** The browser of a device closed (or killed) at an offset and reopened on the same profile. */
  readonly restartA: { atMs: number; kind: RestartKind } | undefined;
  readonly restartB: { atMs: number; kind: RestartKind } | undefined;
}

export interface ChaosPlan {
  readonly seed: number;
  readonly size: ChaosSize;
  readonly actors: string[];
  readonly rounds: RoundPlan[];
  /** The serial oracle: every unique key, by actor. */
  readonly oracle: Map<string, Set<string>>;
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
  const rounds: RoundPlan[] = Array.from({ length: sizing.rounds }, (_, index) => ({
    index,
    tabs: Array.from({ length: tabsA }, () => []),
    deviceB: [],
    faults: makeFaults(random, index),
    stopsA: Array.from({ length: random.between(0, 2) }, () => random.between(0, 3000)),
    stopsB: Array.from({ length: random.between(0, 1) }, () => random.between(0, 3000)),
    restartA: undefined,
    restartB: undefined,
  }));
  const oracle = new Map(actors.map((actor) => [actor, new Set<string>()]));
  let plannedResends = 0;
  let resentKeys = 0;

  const place = (device: DeviceName, count: number) => {
    for (let i = 0; i < count; i++) {
      // The first messages of each device cover every actor; then a few hot actors get half the traffic.
      const actor =
        i < actors.length
          ? (actors[i] as string)
          : random.chance(0.5)
            ? random.pick(actors.slice(0, 8))
            : random.pick(actors);
      const key = `${device.toLowerCase()}-${String(i).padStart(5, '0')}-${random.int(0x1000000).toString(16)}`;
      const message: Message = { device, actor, key };
      oracle.get(actor)?.add(key);
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
  place('A', sizing.uniqueA);
  place('B', sizing.uniqueB);

  for (const round of rounds) {
    for (const batch of [...round.tabs, round.deviceB]) shuffle(batch, random);
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
    plannedResends,
    resentKeys,
  };
}

function batchOf(rounds: RoundPlan[], device: DeviceName, index: number, random: Random) {
  const round = rounds[index];
  if (round === undefined) throw new RangeError(`no round ${index}`);
  return device === 'B' ? round.deviceB : (round.tabs[random.int(tabsA)] as Message[]);
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
