import type { Commands } from '../../../src/actor/command.ts';
import type { JsonObject } from '../../../src/actor/message.ts';
import { createActorHost, type ActorHost } from '../../../src/host/createActorHost.ts';
import type { ActorHostOptions } from '../../../src/host/options.ts';
import { deferred, uniqueDbName, type Deferred } from './deferred.ts';
import { actorRequest, type SendOptions } from './requests.ts';

/** A host on a database of its own, and a shortcut to send it requests. */
export interface TestHost {
  host: ActorHost;
  dbName: string;
  send: (method: string, path: string, options?: SendOptions) => Promise<Response>;
}

export function testHost(options: ActorHostOptions = {}): TestHost {
  const dbName = uniqueDbName();
  const host = createActorHost({ dbName, ...options });
  return {
    host,
    dbName,
    send: (method, path, sendOptions) => host.handle(actorRequest(method, path, sendOptions)),
  };
}

/**
 * Commands for the host tests: `record` appends its `value` to `state.log`
 * and counts its runs; `gate` holds its turn until the test releases it;
 * `fail` always throws.
 */
export function testCommands() {
  const runs = { record: 0, fail: 0, gate: 0 };
  let gate: Deferred = deferred();
  let gateRunning: Deferred = deferred();
  const commands: Commands = {
    record: (state: { log?: unknown[] }, { value }: { value: unknown }) => {
      runs.record++;
      const log = [...(state.log ?? []), value];
      return { state: { ...state, log }, result: { length: log.length } };
    },
    fail: () => {
      runs.fail++;
      throw new Error('out of stock');
    },
    gate: async (state: JsonObject) => {
      runs.gate++;
      gateRunning.resolve();
      await gate.promise;
      return { state: { ...state, gated: true } };
    },
  };
  return {
    commands,
    runs,
    /** Resolves once a `gate` command is running; call `release` to let it finish. */
    armGate: () => {
      gate = deferred();
      gateRunning = deferred();
      return { running: gateRunning.promise, release: () => gate.resolve() };
    },
  };
}
