import type { SyncFailure } from './chaosDevice.ts';
import type { DeviceName } from './plan.ts';

/**
 * After a race ends, failures heard this long after still belong to it: rounds in flight, and
 * device C's probe, which under libfaketime takes several seconds.
 */
const raceTailMs = 30_000;

/** What the injected faults cause: a dropped or refused connection, a 5xx, a racing MOVE refused. */
const faultCodes = new Set([
  'remote-unreachable',
  'remote-server-error',
  'remote-timeout',
  'remote-unsafe',
]);

/**
 * Every failed sync round the devices broadcast, sorted by when the server raced: a racing
 * server must be refused by the probe (`remote-unsafe`) while it races, and trusted again once
 * it stops; `remote-fork` at any time is a fork.
 */
export class SyncFailureLog {
  /** Failures by device and code. */
  readonly codes = new Map<DeviceName, Map<string, number>>();
  /** `remote-unsafe` heard while the server raced, by device. */
  readonly unsafeWhileRacing = new Map<DeviceName, number>();
  /** `remote-unsafe` heard with no race on (30 s after one ended): a verdict stuck, or a false one. */
  readonly unsafeAfterRace: string[] = [];
  /** The first message of each code a fault does not explain, to read what went wrong. */
  readonly unexplained = new Map<string, string>();
  /** Actors a device saw `remote-fork` for, with the first message. */
  readonly forks = new Map<string, string>();
  #racing = false;
  #raceEnded = -Infinity;

  raceStarted(): void {
    this.#racing = true;
  }

  raceEnded(): void {
    this.#racing = false;
    this.#raceEnded = Date.now();
  }

  /** `A: remote-unsafe ×3, …; B: …`, or `none`. */
  describe(): string {
    const parts = [...this.codes].map(
      ([device, codes]) =>
        `${device}: ${[...codes].map(([code, n]) => `${code} ×${n}`).join(', ')}`,
    );
    return parts.join('; ') || 'none';
  }

  record(device: DeviceName, failure: SyncFailure): void {
    const codes = this.codes.get(device) ?? new Map<string, number>();
    this.codes.set(device, codes);
    codes.set(failure.code, (codes.get(failure.code) ?? 0) + 1);
    if (!faultCodes.has(failure.code) && !this.unexplained.has(failure.code)) {
      this.unexplained.set(failure.code, `${device}:${failure.actor} ${failure.message}`);
    }
    if (failure.code === 'remote-fork' && !this.forks.has(failure.actor)) {
      this.forks.set(failure.actor, `${device} saw remote-fork: ${failure.message}`);
    }
    if (failure.code !== 'remote-unsafe') return;
    if (this.#racing || Date.now() - this.#raceEnded < raceTailMs) {
      this.unsafeWhileRacing.set(device, (this.unsafeWhileRacing.get(device) ?? 0) + 1);
    } else {
      this.unsafeAfterRace.push(`${device}:${failure.actor} ${failure.message}`);
    }
  }
}
