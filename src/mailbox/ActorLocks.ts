/** A task waiting for (or running under) an actor's lock in this worker. */
interface LeasedTask {
  run(): Promise<void>;
  fail(error: unknown): void;
}

interface Lease {
  tasks: LeasedTask[];
  /** Granted (not only asked for). */
  held: boolean;
  /** Set while the lease is idle: a new task wakes it. */
  wake: (() => void) | undefined;
}

/**
 * The actors' Web Locks (`actordav:actor:{id}`, [how a request flows](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md#how-a-request-flows)), leased: this
 * worker keeps an actor's lock for `leaseMs` after its last task, so a burst
 * of turns (and the sync engine's commits) pays for one lock request, not one
 * each. Tasks still run one at a time, in order, under the lock. Only another
 * worker or page that wants the same actor waits, and at most `leaseMs` more:
 * in practice, a new worker version taking over.
 */
export class ActorLocks {
  readonly #leaseMs: number;
  readonly #leases = new Map<string, Lease>();

  constructor(leaseMs: number) {
    this.#leaseMs = leaseMs;
  }

  /** True while this worker holds the actor's lock (granted, not only asked for). */
  held(actorId: string): boolean {
    return this.#leases.get(actorId)?.held === true;
  }

  /** Runs `task` under the actor's lock, after the tasks this worker queued before it. */
  run<T>(actorId: string, task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const leased: LeasedTask = {
        // Through a promise, so a task that throws at once fails alone, like one that rejects.
        run: () => Promise.resolve().then(task).then(resolve, reject),
        fail: reject,
      };
      const lease = this.#leases.get(actorId);
      if (lease !== undefined) {
        lease.tasks.push(leased);
        lease.wake?.();
        return;
      }
      this.#lease(actorId, leased);
    });
  }

  #lease(actorId: string, first: LeasedTask): void {
    const lease: Lease = { tasks: [first], held: false, wake: undefined };
    this.#leases.set(actorId, lease);
    this.#hold(actorId, lease).catch((error: unknown) => {
      this.#leases.delete(actorId);
      for (const task of lease.tasks.splice(0)) task.fail(error);
    });
  }

  // Async, so a missing `navigator.locks` rejects like a refused request rather than throwing.
  async #hold(actorId: string, lease: Lease): Promise<void> {
    await navigator.locks.request(`actordav:actor:${actorId}`, async () => {
      lease.held = true;
      while (lease.tasks.length > 0) {
        for (let task = lease.tasks.shift(); task; task = lease.tasks.shift()) await task.run();
        await this.#idle(lease);
      }
      // In the same turn as the last check, so no task can join a lease that is ending.
      this.#leases.delete(actorId);
    });
  }

  /** Waits until a task joins or the lease runs out. */
  #idle(lease: Lease): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        lease.wake = undefined;
        resolve();
      }, this.#leaseMs);
      lease.wake = () => {
        clearTimeout(timer);
        lease.wake = undefined;
        resolve();
      };
    });
  }
}
