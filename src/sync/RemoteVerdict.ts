import { isSyncError, type SyncError } from '../errors/SyncError.ts';
import type { RemoteConfig } from '../webdav/remoteConfig.ts';
import { probeForcedOff } from './probeForcedOff.ts';
import { probeRemote, type ProbeResult } from './probeRemote.ts';
import type { ProbeScratch } from './probeScratch.ts';

/** What status shows of the remote's capability probe. */
export type ProbeVerdict =
  'unknown' | 'passed' | { code: string; message: string; checkedAt: string };

/** A passed verdict is checked again after this long: a server can change under its URL. */
const passedTtlMs = 24 * 60 * 60 * 1000;
/** A failed one sooner, so a remote that was fixed is trusted without a worker restart. */
const failedTtlMs = 10 * 60 * 1000;

/**
 * The probe's verdict on one remote, shared by every actor of the worker:
 * probed once, then again once it is old, or at the next round after one the
 * server answered in a way a trusted server would not (`remote-protocol`,
 * `remote-fork`), and never more than one probe at a time.
 */
export class RemoteVerdict {
  readonly #remote: RemoteConfig;
  readonly #scratch: ProbeScratch | undefined;
  #probe: Promise<void> | undefined;
  #result: ProbeResult | undefined;
  #failure: { error: SyncError; at: number } | undefined;
  #stale = false;

  constructor(remote: RemoteConfig, scratch?: ProbeScratch) {
    this.#remote = remote;
    this.#scratch = scratch;
  }

  get current(): ProbeVerdict {
    if (this.#failure !== undefined) {
      const { error, at } = this.#failure;
      return { code: error.code, message: error.message, checkedAt: new Date(at).toISOString() };
    }
    return this.#result === undefined ? 'unknown' : 'passed';
  }

  /** Whether `If-None-Match: *` was honoured, once a probe passed. */
  get ifNoneMatch(): ProbeResult['ifNoneMatch'] | 'unknown' {
    return this.#result?.ifNoneMatch ?? 'unknown';
  }

  /** Resolves when the remote is trusted; rejects with the probe's error. */
  check(deviceId: string): Promise<void> {
    if (probeForcedOff) return Promise.resolve();
    if (this.#isOld()) this.#probe = undefined;
    this.#probe ??= probeRemote(this.#remote, deviceId, {}, this.#scratch).then(
      (result) => {
        this.#result = result;
        this.#failure = undefined;
        this.#stale = false;
      },
      (error: unknown) => {
        // Only a failed check is a verdict on the server; a probe cut short (network, 401, 5xx) runs again.
        if (isSyncError(error) && error.code === 'remote-unsafe') {
          this.#failure = { error, at: Date.now() };
          this.#result = undefined;
          this.#stale = false;
        } else {
          this.#probe = undefined;
        }
        throw error;
      },
    );
    return this.#probe;
  }

  /** Tells the verdict how a round ended: a server that answered oddly is probed again. */
  roundFailed(error: SyncError): void {
    if (error.code === 'remote-protocol' || error.code === 'remote-fork') this.#stale = true;
  }

  #isOld(): boolean {
    const now = Date.now();
    if (this.#failure !== undefined) return now - this.#failure.at >= failedTtlMs;
    if (this.#result === undefined) return false;
    return this.#stale || now - this.#result.checkedAt >= passedTtlMs;
  }
}
