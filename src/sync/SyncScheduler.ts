import { backoffDelay } from './backoff.ts';

/**
 * Why a sync is asked for. Only `urgent` (a page's `online` event or its
 * `syncNow()`) may cut a backoff short, at most once per `urgentSpacingMs`:
 * accepted messages, worker starts, Background Sync and a page's periodic
 * nudges wait for the backoff step ([when a round runs](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md#when-a-round-runs-syncscheduler)), so a thousand clients
 * cannot hammer a server that is coming back.
 */
export type SyncTrigger = 'message' | 'start' | 'background' | 'nudge' | 'urgent';

/** How one attempt ended: fine, failed in a way worth a backoff, or failed until the next trigger. */
export type AttemptOutcome = 'synced' | 'retry' | 'stop';

export interface SchedulerOptions {
  /** Runs one attempt for the actor (the caller holds the cross-worker lock inside). */
  attempt(actorId: string): Promise<AttemptOutcome>;
  /** The first retryable failure of a streak: e.g. register Background Sync, once per streak. */
  onStreak(): void;
  /** The wait before retry number `n` of a streak (0-based). Default: full-jitter backoff. */
  delay?: (n: number) => number;
  /** Least time between two attempts an urgent trigger starts out of a backoff. Default 5 s. */
  urgentSpacingMs?: number;
  now?: () => number;
}

interface Schedule {
  /** Triggers that arrived during the attempt in flight: one more attempt carries them all. */
  again: boolean;
  /** An urgent trigger arrived during the attempt in flight: if it fails, try once more at once. */
  urgentAgain: boolean;
  /** Set while waiting out a backoff step: ends the wait early. */
  wake: (() => void) | undefined;
  /** Resolves the callers' promises when the actor rests. */
  rest: { promise: Promise<void>; resolve: () => void } | undefined;
  lastUrgentAt: number;
}

/**
 * One sync loop per actor: coalesces triggers (group commit), backs off with
 * full jitter while the remote fails, and forgets an actor once it rests.
 */
export class SyncScheduler {
  readonly #options: Required<SchedulerOptions>;
  readonly #schedules = new Map<string, Schedule>();

  constructor(options: SchedulerOptions) {
    this.#options = {
      delay: backoffDelay,
      urgentSpacingMs: 5_000,
      now: Date.now,
      ...options,
    };
  }

  /** True while the actor has a loop: an attempt in flight or a backoff being waited out. */
  busy(actorId: string): boolean {
    return this.#schedules.has(actorId);
  }

  /**
   * Asks for an attempt. Resolves when the actor rests: synced, stopped until
   * the next trigger, or waiting out a backoff (the wait itself is not part of
   * the promise, which callers hand to `waitUntil`: a worker held open while
   * the remote is down could never be replaced by a new version).
   */
  request(actorId: string, trigger: SyncTrigger): Promise<void> {
    const running = this.#schedules.get(actorId);
    if (running === undefined) {
      const schedule: Schedule = {
        again: false,
        urgentAgain: false,
        wake: undefined,
        rest: undefined,
        lastUrgentAt: -Infinity,
      };
      if (trigger === 'urgent') schedule.lastUrgentAt = this.#options.now();
      this.#schedules.set(actorId, schedule);
      const rest = this.#restOf(schedule);
      // Not awaited on purpose: only the way to the next rest is, through the promise returned.
      void this.#loop(actorId, schedule).finally(() => {
        this.#schedules.delete(actorId);
        this.#settle(schedule);
      });
      return rest;
    }
    const rest = this.#restOf(running);
    const urgent =
      trigger === 'urgent' &&
      this.#options.now() - running.lastUrgentAt >= this.#options.urgentSpacingMs;
    if (urgent) running.lastUrgentAt = this.#options.now();
    if (running.wake === undefined) {
      running.again = true;
      // The page came online while an attempt that may have started offline is in flight.
      if (urgent) running.urgentAgain = true;
    } else if (urgent) {
      running.wake();
    } else {
      // Resting in a backoff: the step's own attempt will carry this trigger.
      this.#settle(running);
    }
    return rest;
  }

  async #loop(actorId: string, schedule: Schedule): Promise<void> {
    for (let failures = 0; ;) {
      schedule.again = false;
      schedule.urgentAgain = false;
      const outcome = await this.#options.attempt(actorId);
      if (outcome !== 'retry') {
        failures = 0;
        // A trigger that arrived during the attempt still needs its round, whatever this one said.
        if (!schedule.again) return;
        continue;
      }
      if (failures === 0) this.#options.onStreak();
      failures += 1;
      if (schedule.urgentAgain) {
        schedule.urgentAgain = false;
        continue;
      }
      this.#settle(schedule);
      await this.#sleep(schedule, this.#options.delay(failures - 1));
    }
  }

  #restOf(schedule: Schedule): Promise<void> {
    if (schedule.rest === undefined) {
      let resolve = () => {};
      const promise = new Promise<void>((done) => (resolve = done));
      schedule.rest = { promise, resolve };
    }
    return schedule.rest.promise;
  }

  #settle(schedule: Schedule): void {
    schedule.rest?.resolve();
    schedule.rest = undefined;
  }

  #sleep(schedule: Schedule, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        schedule.wake = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      schedule.wake = wake;
    });
  }
}
