import { isSyncError, SyncError } from '../errors/SyncError.ts';
import type { SyncEvent } from '../events/actorEvent.ts';
import type { HeldBack } from '../http/types.ts';
import type { SyncHost } from './SyncHost.ts';
import { countPending } from '../store/outbox.ts';
import type { RemoteChoice } from '../webdav/remoteChoice.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { remoteFork } from './checkHead.ts';
import { confirmVersion } from './confirmVersion.ts';
import { probeScratch } from './probeScratch.ts';
import { RemoteVerdict, type ProbeVerdict } from './RemoteVerdict.ts';
import { syncRound, type RoundMemory } from './syncRound.ts';
import { heldBackWarner } from './heldBackWarning.ts';
import { SyncScheduler, type SyncTrigger } from './SyncScheduler.ts';
import type { VersionFile } from './versionFile.ts';

export type { ProbeVerdict } from './RemoteVerdict.ts';

/** What status shows of an actor's sync. */
export interface SyncState {
  syncing: boolean;
  lastError: { code: string; message: string; at: string } | null;
  /** What the last round that got to fold could not run; kept through later failed rounds. */
  heldBack: HeldBack[];
}

/** What status shows of the remote an actor lives on. */
export interface RemoteView {
  url: string;
  probe: ProbeVerdict;
  /** Whether the remote honours `If-None-Match: *` (else `device-id-conflict` cannot be seen there). */
  ifNoneMatch: 'honoured' | 'ignored' | 'unknown';
}

interface Waiter {
  seq: number;
  done: (confirmed: boolean) => void;
}

/** Everything this worker keeps of one actor's sync; dropped once it is idle with nothing to show. */
interface ActorSync {
  state: SyncState;
  waiters: Waiter[];
}

/**
 * Runs sync rounds ([a sync round](https://github.com/actordav/actordav/blob/main/docs/ARCHITECTURE.md#a-sync-round-syncround)): one at a time per actor, also across
 * workers (the Web Lock `actordav:sync:{id}`), scheduled by `SyncScheduler`
 * (group commit, backoff no trigger but an urgent one cuts short). Nothing
 * pending is ever dropped.
 */
export class SyncEngine {
  readonly #host: SyncHost;
  readonly #remotes: RemoteChoice;
  readonly #memory: RoundMemory = { versions: new Map(), layout: new Set() };
  readonly #actors = new Map<string, ActorSync>();
  readonly #scheduler: SyncScheduler;
  /** The probe's verdict per server (collection URL), shared by the actors that live there. */
  readonly #verdicts = new Map<string, RemoteVerdict>();
  readonly #warnHeldBack: (actorId: string, heldBack: readonly HeldBack[]) => void;

  /** `onStreak` runs on the first retryable failure of a streak (e.g. to register Background Sync). */
  constructor(host: SyncHost, remotes: RemoteChoice, onStreak: () => void) {
    this.#host = host;
    this.#remotes = remotes;
    this.#warnHeldBack = heldBackWarner(host.config.commandsVersion);
    this.#scheduler = new SyncScheduler({
      attempt: async (actorId) => {
        const error = await this.#attempt(actorId);
        if (error === undefined) return 'synced';
        return error.retryable ? 'retry' : 'stop';
      },
      onStreak,
    });
  }

  /** Syncs an actor now, or as soon as its schedule allows; resolves when it rests. */
  request(actorId: string, trigger: SyncTrigger = 'message'): Promise<void> {
    return this.#scheduler.request(actorId, trigger);
  }

  /** Syncs every actor this device knows: pushes what is pending, pulls what others wrote. */
  async requestAll(trigger: SyncTrigger): Promise<void> {
    const ids = await (await this.#host.db()).getAllKeys('actors');
    await Promise.all(ids.map((id) => this.request(id, trigger)));
  }

  /** Resolves true once the message `seq` of the actor is confirmed, false after `timeoutMs`. */
  async waitForConfirmation(actorId: string, seq: number, timeoutMs: number): Promise<boolean> {
    const confirmed = new Promise<boolean>((resolve) => {
      const actor = this.#actor(actorId);
      const timer = setTimeout(() => done(false), timeoutMs);
      const done = (answer: boolean) => {
        clearTimeout(timer);
        actor.waiters = actor.waiters.filter((waiter) => waiter.done !== done);
        this.#prune(actorId);
        resolve(answer);
      };
      actor.waiters.push({ seq, done });
    });
    // A round may have confirmed it before the waiter was there: its outbox row is gone then.
    const row = await (await this.#host.db()).get('outbox', [actorId, seq]);
    if (row === undefined) this.#release(actorId, seq, true);
    return confirmed;
  }

  state(actorId: string): SyncState {
    return this.#actors.get(actorId)?.state ?? { syncing: false, lastError: null, heldBack: [] };
  }

  /** The remote the actor lives on and its verdict; null when `options.remote` gives none for it. */
  remote(actorId: string): RemoteView | null {
    let remote: RemoteConfig;
    try {
      remote = this.#remotes.forActor(actorId);
    } catch {
      return null;
    }
    const verdict = this.#verdict(remote);
    return { url: remote.url, probe: verdict.current, ifNoneMatch: verdict.ifNoneMatch };
  }

  #verdict(remote: RemoteConfig): RemoteVerdict {
    let verdict = this.#verdicts.get(remote.url);
    if (verdict === undefined) {
      verdict = new RemoteVerdict(
        remote,
        probeScratch(() => this.#host.db(), remote.url),
      );
      this.#verdicts.set(remote.url, verdict);
    }
    return verdict;
  }

  #actor(actorId: string): ActorSync {
    let actor = this.#actors.get(actorId);
    if (actor === undefined) {
      actor = { state: { syncing: false, lastError: null, heldBack: [] }, waiters: [] };
      this.#actors.set(actorId, actor);
    }
    return actor;
  }

  #prune(actorId: string): void {
    const actor = this.#actors.get(actorId);
    if (actor === undefined || this.#scheduler.busy(actorId)) return;
    const { syncing, lastError, heldBack } = actor.state;
    if (!syncing && lastError === null && heldBack.length === 0 && actor.waiters.length === 0) {
      this.#actors.delete(actorId);
    }
  }

  #release(actorId: string, upTo: number, confirmed: boolean): void {
    for (const waiter of this.#actors.get(actorId)?.waiters ?? []) {
      if (waiter.seq <= upTo) waiter.done(confirmed);
    }
  }

  async #attempt(actorId: string): Promise<SyncError | undefined> {
    const actor = this.#actor(actorId);
    actor.state = { ...actor.state, syncing: true };
    await this.#announce(actorId, 'started', null);
    let verdict: RemoteVerdict | undefined;
    try {
      const remote = this.#remotes.forActor(actorId);
      verdict = this.#verdict(remote);
      await navigator.locks.request(`actordav:sync:${actorId}`, () => this.#round(actorId, remote));
      actor.state = { ...actor.state, syncing: false, lastError: null };
      await this.#announce(actorId, 'synced', null);
      // Not `#prune` yet: the scheduler still counts this attempt; the next request or waiter does.
      queueMicrotask(() => this.#prune(actorId));
      return undefined;
    } catch (caught) {
      const error = isSyncError(caught)
        ? caught
        : new SyncError('remote-protocol', String((caught as Error | null)?.message ?? caught), {
            cause: caught,
          });
      if (!isSyncError(caught)) console.error('actordav: sync round failed', caught);
      verdict?.roundFailed(error);
      const lastError = { code: error.code, message: error.message, at: new Date().toISOString() };
      actor.state = { ...actor.state, syncing: false, lastError };
      // Requests waiting for this actor's confirmation get their 202 now rather than at their timeout.
      this.#release(actorId, Infinity, false);
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

  async #round(actorId: string, remote: RemoteConfig): Promise<void> {
    const verdict = this.#verdict(remote);
    const deviceId = await this.#host.deviceId();
    const { version, broken, heldBack, tidy } = await syncRound(
      this.#host,
      remote,
      actorId,
      this.#memory,
      (id) => verdict.check(id),
    );
    const actor = this.#actor(actorId);
    actor.state = { ...actor.state, heldBack };
    this.#warnHeldBack(actorId, heldBack);
    await this.#confirm(actorId, deviceId, version, broken);
    await tidy();
  }

  async #confirm(
    actorId: string,
    deviceId: string,
    version: VersionFile,
    broken?: SyncError,
  ): Promise<void> {
    const { confirmedUpTo, fork } = await confirmVersion(this.#host, actorId, deviceId, version);
    this.#release(actorId, confirmedUpTo, true);
    if (fork) {
      throw remoteFork(actorId, `version ${version.version} answers a confirmed message otherwise`);
    }
    if (broken !== undefined) throw broken;
  }
}
