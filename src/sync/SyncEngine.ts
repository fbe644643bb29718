import { isSyncError, SyncError } from '../errors/SyncError.ts';
import type { SyncEvent } from '../events/actorEvent.ts';
import type { HostContext } from '../host/hostContext.ts';
import { countPending } from '../store/outbox.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { backoffDelay } from './backoff.ts';
import { confirmVersion } from './confirmVersion.ts';
import { probeRemote } from './probeRemote.ts';
import { syncRound, type RoundMemory } from './syncRound.ts';
import type { VersionFile } from './versionFile.ts';

/** What status shows of an actor's sync. */
export interface SyncState {
  syncing: boolean;
  lastError: { code: string; message: string; at: string } | null;
}

/** What status shows of the remote's capability probe. */
export type ProbeVerdict = 'unknown' | 'passed' | { code: string; message: string };

/**
 * Runs sync rounds (DESIGN.md §6): one at a time per actor, also across
 * workers (the Web Lock `actordav:sync:{id}`). A request while a round runs
 * is folded into one more round after it (group commit: remote requests grow
 * with rounds, not messages). Network errors and 5xx back off with full
 * jitter and retry on a timer while the worker lives (and Background Sync
 * or a page's nudge when it does not); anything else waits for the next
 * trigger. Nothing pending is ever dropped.
 */
export class SyncEngine {
  readonly #host: HostContext;
  readonly #remote: RemoteConfig;
  readonly #memory: RoundMemory = { versions: new Map(), layout: new Set() };
  readonly #loops = new Set<string>();
  readonly #rests = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  readonly #again = new Set<string>();
  readonly #wake = new Map<string, () => void>();
  readonly #states = new Map<string, SyncState>();
  readonly #waiters = new Map<string, { seq: number; done: (confirmed: boolean) => void }[]>();
  readonly #confirmedUpTo = new Map<string, number>();
  readonly #onBackoff: () => void;
  #probe: Promise<void> | undefined;
  #verdict: ProbeVerdict = 'unknown';

  /** `onBackoff` runs when a round fails in a way worth retrying later (e.g. to register Background Sync). */
  constructor(host: HostContext, remote: RemoteConfig, onBackoff: () => void) {
    this.#host = host;
    this.#remote = remote;
    this.#onBackoff = onBackoff;
  }

  /**
   * Syncs an actor now, or once more after the round in flight. Resolves when
   * the actor rests: synced, stopped until the next trigger, or waiting out a
   * backoff. The backoff itself is not part of the promise, which callers
   * hand to `waitUntil`: a worker held open while the remote is down could
   * never be replaced by a new version, nor let a page load that waits for it.
   */
  request(actorId: string): Promise<void> {
    let rest = this.#rests.get(actorId);
    if (rest === undefined) {
      let resolve = () => {};
      rest = { promise: new Promise<void>((done) => (resolve = done)), resolve };
      this.#rests.set(actorId, rest);
    }
    if (this.#loops.has(actorId)) {
      this.#again.add(actorId);
      this.#wake.get(actorId)?.();
    } else {
      this.#loops.add(actorId);
      // Not awaited on purpose: only the way to the next rest is, through the promise returned.
      void this.#loop(actorId).finally(() => {
        this.#loops.delete(actorId);
        this.#settle(actorId);
      });
    }
    return rest.promise;
  }

  #settle(actorId: string): void {
    this.#rests.get(actorId)?.resolve();
    this.#rests.delete(actorId);
  }

  /** Syncs every actor this device knows: pushes what is pending, pulls what others wrote. */
  async requestAll(): Promise<void> {
    const ids = await (await this.#host.db()).getAllKeys('actors');
    await Promise.all(ids.map((id) => this.request(id)));
  }

  /** Resolves true once the message `seq` of the actor is confirmed, false after `timeoutMs`. */
  waitForConfirmation(actorId: string, seq: number, timeoutMs: number): Promise<boolean> {
    if (seq <= (this.#confirmedUpTo.get(actorId) ?? 0)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(actorId) ?? [];
      const timer = setTimeout(() => done(false), timeoutMs);
      const done = (confirmed: boolean) => {
        clearTimeout(timer);
        const list = this.#waiters.get(actorId) ?? [];
        this.#waiters.set(
          actorId,
          list.filter((waiter) => waiter.done !== done),
        );
        resolve(confirmed);
      };
      waiters.push({ seq, done });
      this.#waiters.set(actorId, waiters);
    });
  }

  state(actorId: string): SyncState {
    return this.#states.get(actorId) ?? { syncing: false, lastError: null };
  }

  get probe(): ProbeVerdict {
    return this.#verdict;
  }

  async #loop(actorId: string): Promise<void> {
    for (let attempt = 0; ;) {
      this.#again.delete(actorId);
      const error = await this.#attempt(actorId);
      if (error === undefined) {
        attempt = 0;
        if (!this.#again.has(actorId)) return;
        continue;
      }
      // A message accepted during the failed round still needs its round, even if this error waits for a trigger.
      if (!error.retryable) {
        if (!this.#again.has(actorId)) return;
        continue;
      }
      this.#onBackoff();
      this.#settle(actorId);
      await this.#sleep(actorId, backoffDelay(attempt++));
    }
  }

  async #attempt(actorId: string): Promise<SyncError | undefined> {
    this.#states.set(actorId, { ...this.state(actorId), syncing: true });
    await this.#announce(actorId, 'started', null);
    try {
      await navigator.locks.request(`actordav:sync:${actorId}`, () => this.#round(actorId));
      this.#states.set(actorId, { syncing: false, lastError: null });
      await this.#announce(actorId, 'synced', null);
      return undefined;
    } catch (caught) {
      const error = isSyncError(caught)
        ? caught
        : new SyncError('remote-protocol', String((caught as Error | null)?.message ?? caught), {
            cause: caught,
          });
      const lastError = { code: error.code, message: error.message, at: new Date().toISOString() };
      this.#states.set(actorId, { syncing: false, lastError });
      // Requests waiting for this actor's confirmation get their 202 now rather than at their timeout.
      for (const waiter of this.#waiters.get(actorId) ?? []) waiter.done(false);
      await this.#announce(actorId, 'failed', { code: error.code, message: error.message });
      return error;
    }
  }

  async #announce(actorId: string, phase: SyncEvent['phase'], error: SyncEvent['error']) {
    const db = await this.#host.db();
    const [record, pending] = await Promise.all([
      db.get('actors', actorId),
      countPending(db, actorId),
    ]);
    this.#host.emit({
      type: 'sync',
      actorId,
      phase,
      version: record?.version ?? 0,
      pending,
      error,
    });
  }

  async #round(actorId: string): Promise<void> {
    const deviceId = await this.#host.deviceId();
    const { version, broken } = await syncRound(
      this.#host,
      this.#remote,
      actorId,
      this.#memory,
      (id) => this.#probeOnce(id),
    );
    await this.#confirm(actorId, deviceId, version, broken);
  }

  async #confirm(
    actorId: string,
    deviceId: string,
    version: VersionFile,
    broken?: SyncError,
  ): Promise<void> {
    const { confirmedUpTo, fork } = await confirmVersion(this.#host, actorId, deviceId, version);
    this.#confirmedUpTo.set(actorId, confirmedUpTo);
    const waiters = this.#waiters.get(actorId) ?? [];
    for (const waiter of waiters.filter((one) => one.seq <= confirmedUpTo)) waiter.done(true);
    if (fork) {
      throw new SyncError(
        'remote-fork',
        'A remote version contradicts an answer already final on this device',
      );
    }
    if (broken !== undefined) throw broken;
  }

  #probeOnce(deviceId: string): Promise<void> {
    this.#probe ??= probeRemote(this.#remote, deviceId).then(
      () => {
        this.#verdict = 'passed';
      },
      (error: unknown) => {
        // Only a failed check is a verdict on the server; a probe cut short (network, 401, 5xx) runs again.
        if (isSyncError(error) && error.code === 'remote-unsafe') {
          this.#verdict = { code: error.code, message: error.message };
        } else {
          this.#probe = undefined;
        }
        throw error;
      },
    );
    return this.#probe;
  }

  #sleep(actorId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wake.delete(actorId);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#wake.set(actorId, wake);
    });
  }
}
