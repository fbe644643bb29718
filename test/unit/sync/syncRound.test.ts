import '../setup.ts';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isSyncError } from '../../../src/errors/SyncError.ts';
import { actorRange } from '../../../src/store/actorRange.ts';
import { confirmVersion } from '../../../src/sync/confirmVersion.ts';
import { versionName } from '../../../src/sync/remotePaths.ts';
import { syncRound, type RoundMemory } from '../../../src/sync/syncRound.ts';
import type { VersionFile } from '../../../src/sync/versionFile.ts';
import { normalizeRemote, type RemoteConfig } from '../../../src/webdav/remoteConfig.ts';
import { startFaultProxy, type FaultProxy } from '../../servers/faultProxy.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';
import { day, deviceC, deviceEntry, keyOf, version } from './support/builders.ts';
import { localDevice, outboxRow, putRows, type LocalDevice } from './support/localStore.ts';
import { racingClaims } from './support/racingClaims.ts';
import {
  dropVersion,
  plantVersion,
  recordingRemote,
  storedOnDisk,
  versionOnDisk,
  versionsOnDisk,
} from './support/remoteFiles.ts';
import { keysOf } from './support/keys.ts';

let server: WebdavServer;
let proxy: FaultProxy;
let actors = 0;
// The probe has tests of its own: here it is off, as in a test build that forces it off.
const noProbe = () => Promise.resolve();
const direct = () => normalizeRemote({ url: server.url, timeoutMs: 5000 });
const memory = (): RoundMemory => ({ versions: new Map(), layout: new Set() });
// The server stamps to the second.
const second = 1000;

beforeAll(async () => {
  server = await startWebdavServer('embedded');
  proxy = await startFaultProxy({ target: server.url });
});
afterEach(() => {
  proxy.clear();
  vi.restoreAllMocks();
});
afterAll(async () => {
  await proxy.close();
  await server.stop();
});

/** An actor no other test of the file uses, on the shared server. */
function newActor(): string {
  return `actor-${++actors}`;
}

/** Accepts message `seq` of the device (its outbox row and pending receipt), at the device's clock. */
function accept(local: LocalDevice, actor: string, seq: number): Promise<void> {
  return putRows(local.db, [outboxRow(local.deviceId, seq, Date.now(), actor)]);
}

/** One round and its confirmation, as the engine runs them. */
async function round(
  local: LocalDevice,
  actor: string,
  remote: RemoteConfig = direct(),
  kept: RoundMemory = memory(),
): Promise<VersionFile> {
  const { version, tidy } = await syncRound(local.host, remote, actor, kept, noProbe);
  await confirmVersion(local.host, actor, local.deviceId, version);
  await tidy();
  return version;
}

/** Everything this device holds of the actor. */
async function localState(local: LocalDevice, actor: string) {
  const { db } = local;
  return {
    actor: await db.get('actors', actor),
    receipts: await db.getAll('receipts', IDBKeyRange.bound([actor, ''], [actor, '\uffff'])),
    outbox: await db.getAll('outbox', actorRange(actor)),
  };
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isSyncError(error)) throw new Error(`expected a SyncError, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describe('syncRound: the registry clock is the remote’s (DESIGN.md §6b)', () => {
  it('a device 31 days fast folding keeps the live keys, and registers its own at the server’s time', async () => {
    const actor = newActor();
    const honest = await localDevice();
    await accept(honest, actor, 1);
    const before = Date.now();
    const v1 = await round(honest, actor);
    expect(v1.clock).toBeGreaterThanOrEqual(before - second);
    expect(v1.clock).toBeLessThanOrEqual(Date.now());
    const honestKey = keyOf(honest.deviceId, 1);
    expect(v1.keys.get(honestKey)?.[3]).toBe(v1.clock);

    const fast = await localDevice();
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 31 * day);
    await accept(fast, actor, 1);
    const v2 = await round(fast, actor);
    vi.restoreAllMocks();

    // Were the fast clock the registry's, the honest key (folded 31 days "ago") would be gone.
    expect(v2.keys.get(honestKey)).toEqual(v1.keys.get(honestKey));
    const fastKey = keyOf(fast.deviceId, 1);
    expect(v2.keys.get(fastKey)?.[3]).toBe(v2.clock);
    expect(v2.clock).toBeGreaterThanOrEqual(v1.clock ?? Infinity);
    expect(v2.clock).toBeLessThanOrEqual(Date.now());
    expect(await versionOnDisk(server.dataDir, 2, actor)).toEqual(v2);
  });

  it('never folds at a clock below the parent’s, also for a parent written before clocks', async () => {
    const ahead = Date.now() + 10 * day;
    for (const clocked of [true, false]) {
      const actor = newActor();
      // A parent stamped by a server whose clock was then set back, or by an old fast device.
      const parent = version(1, {
        devices: { [deviceC]: deviceEntry({ seq: 1, t: ahead, acked: 1 }) },
        keys: keysOf({ c1: ['fp:c1', deviceC, 1, ahead, 200] }),
        ...(clocked ? { clock: ahead } : {}),
      });
      await plantVersion(server.dataDir, parent, { actor });
      const local = await localDevice();
      await accept(local, actor, 1);
      const v2 = await round(local, actor);
      expect(v2.version).toBe(2);
      expect(v2.clock).toBe(ahead);
      expect(v2.keys.get(keyOf(local.deviceId, 1))?.[3]).toBe(ahead);
      expect(v2.keys.get('c1')).toEqual(parent.keys.get('c1'));
    }
  });
});

describe('syncRound: trust, but read back (DESIGN.md §6b)', () => {
  it('two 201s for one MOVE (a server that checks, then renames): the loser sees the foreign nonce and does not confirm', async () => {
    const actor = newActor();
    const [a, b] = [await localDevice(), await localDevice()];
    await accept(a, actor, 1);
    await accept(b, actor, 1);
    // Both claims of v/1 reach the server before either renames; both read back after both renamed.
    proxy.inject({ fault: 'raceMove', method: 'MOVE', delayMs: 100 });
    const { fetch: racing, moves } = racingClaims('/v/000000000001/');
    const remote = normalizeRemote({ url: proxy.url, timeoutMs: 5000, fetch: racing });
    const held = await Promise.all([round(a, actor, remote), round(b, actor, remote)]);
    // Two winners: without the read-back each would confirm its own version 1.
    // (The second renames over the first: 204, which counts as a win as much as 201 does.)
    expect(moves).toEqual([201, 204]);
    expect(proxy.faults.raceMove).toBe(2);

    // Each device holds the version 1 the remote has: the loser went back to the head and found
    // its message there already (both had uploaded their segments before folding).
    const onDisk = await versionOnDisk(server.dataDir, 1, actor);
    expect(held).toEqual([onDisk, onDisk]);
    expect(await versionsOnDisk(server.dataDir, actor)).toEqual([1]);
    for (const local of [a, b]) {
      const { actor: record, receipts, outbox } = await localState(local, actor);
      expect(record).toMatchObject({ version: 1, nonce: onDisk.nonce });
      expect(receipts.map((receipt) => receipt.status)).toEqual(['done']);
      expect(outbox).toEqual([]);
    }
  });

  it('a head rolled back below the version confirmed here is remote-rollback, and nothing local changes', async () => {
    const actor = newActor();
    const local = await localDevice();
    const kept = memory();
    await accept(local, actor, 1);
    await round(local, actor, direct(), kept);
    await accept(local, actor, 2);
    await round(local, actor, direct(), kept);
    // The remote is restored from a copy taken before version 2; a message waits meanwhile.
    await dropVersion(server.dataDir, 2, actor);
    await accept(local, actor, 3);
    const before = await localState(local, actor);
    expect(before.actor?.version).toBe(2);
    expect(before.receipts.map((receipt) => receipt.status)).toEqual(['done', 'done', 'pending']);

    const refused = await failure(syncRound(local.host, direct(), actor, kept, noProbe));
    expect(refused.code).toBe('remote-rollback');
    expect(refused.message).toMatch(/older than version 2 this device already confirmed/);
    expect(await localState(local, actor)).toEqual(before);
    // Nothing was folded onto the old head: no version 2 was claimed again.
    expect(await versionsOnDisk(server.dataDir, actor)).toEqual([1]);
  });

  it('the version confirmed here, replaced under its number by another claim, is remote-fork', async () => {
    const actor = newActor();
    const local = await localDevice();
    await accept(local, actor, 1);
    const v1 = await round(local, actor);
    await plantVersion(server.dataDir, { ...v1, nonce: 'someone-else' }, { actor });
    await accept(local, actor, 2);
    const before = await localState(local, actor);
    const refused = await failure(syncRound(local.host, direct(), actor, memory(), noProbe));
    expect(refused.code).toBe('remote-fork');
    expect(await localState(local, actor)).toEqual(before);
    expect(await versionsOnDisk(server.dataDir, actor)).toEqual([1]);
  });
});

describe('syncRound: format 2 (DESIGN.md §6a)', () => {
  const onDisk = (actor: string, path: string) => readdir(join(server.dataDir, actor, path));
  const kindOf = async (actor: string, n: number) =>
    (JSON.parse(await storedOnDisk(server.dataDir, n, actor)) as { kind?: string }).kind;
  /** Versions 1 to `count` in format 1, each state a log of `entries` items. */
  const plantFormat1 = async (actor: string, count: number, entries: number) => {
    const log = Array.from({ length: entries }, (_, i) => `old-${i}`);
    for (let n = 1; n <= count; n++) {
      await plantVersion(server.dataDir, version(n, { state: { log } }), { actor });
    }
  };

  it('migrates a format-1 remote: a checkpoint, then deltas; then the old versions become tombstones', async () => {
    const actor = newActor();
    // History enough that a delta stays smaller than the checkpoint.
    await plantFormat1(actor, 3, 200);
    const local = await localDevice(day);
    const kept = memory();
    await accept(local, actor, 1);
    expect((await round(local, actor, direct(), kept)).version).toBe(4);
    expect(await kindOf(actor, 4)).toBe('checkpoint');
    // What the checkpoint holds, its device deleted from log/.
    expect(await onDisk(actor, 'log')).toEqual([]);
    await accept(local, actor, 2);
    await round(local, actor, direct(), kept);
    expect(await kindOf(actor, 5)).toBe('delta');
    // Its segment too, though only the delta holds it: log/ is the size of the work in flight.
    expect(await onDisk(actor, 'log')).toEqual([]);
    expect(await onDisk(actor, 'v/000000000001')).toEqual(['claim.json', 'state.json']);
    await accept(local, actor, 3);
    await round(local, actor, direct(), kept);
    expect(await kindOf(actor, 6)).toBe('delta');
    for (let n = 1; n <= 3; n++) {
      expect(await onDisk(actor, `v/${versionName(n)}`)).toEqual(['gone.json']);
    }
    // A device that knows nothing reads the head from the checkpoint on.
    const head = await versionOnDisk(server.dataDir, 6, actor);
    expect(head.devices[local.deviceId]?.seq).toBe(3);
    expect((await localState(local, actor)).outbox).toEqual([]);
    expect((await localState(local, actor)).actor?.state).toEqual(head.state);
  });

  it('removes old versions also when checkpoints leave no chain two deltas long', async () => {
    const actor = newActor();
    const local = await localDevice(day, { checkpointEvery: 1 });
    const kept = memory();
    for (let seq = 1; seq <= 6; seq++) {
      await accept(local, actor, seq);
      await round(local, actor, direct(), kept);
    }
    const kinds = [];
    for (let n = 1; n <= 6; n++) {
      const files = await onDisk(actor, `v/${versionName(n)}`);
      kinds.push(files.includes('gone.json') ? 'gone' : await kindOf(actor, n));
    }
    // Checkpoints at 1, 3, 5: below the one before the head's (3), everything is a tombstone.
    expect(kinds).toEqual(['gone', 'gone', 'checkpoint', 'delta', 'checkpoint', 'delta']);
    const head = await versionOnDisk(server.dataDir, 6, actor);
    expect((await localState(local, actor)).actor?.state).toEqual(head.state);
  });

  it('a device that joins late finds what others removed in a few reads, and removes nothing again', async () => {
    const actor = newActor();
    // A state large enough that the checkpoint v41 stays the base for the rounds below.
    await plantFormat1(actor, 40, 2000);
    const first = await localDevice(day);
    const kept = memory();
    for (let seq = 1; seq <= 5; seq++) {
      await accept(first, actor, seq);
      await round(first, actor, direct(), kept);
    }
    // 40 format-1 versions, then the checkpoint v41 (previous: 1) and its deltas: 1–40 are removed.
    expect(await onDisk(actor, 'v/000000000040')).toEqual(['gone.json']);
    const late = await localDevice(day);
    const { remote, seen } = recordingRemote(server.url);
    await round(late, actor, remote, memory());
    const removals = seen.filter(
      (request) => /\/v\/0{10}([0-3]\d|40)\/./.test(request) && !request.startsWith('PROPFIND '),
    );
    expect(removals.filter((request) => !request.startsWith('GET '))).toEqual([
      `PUT /${actor}/v/000000000040/gone.json`,
      `DELETE /${actor}/v/000000000040/state.json`,
      `DELETE /${actor}/v/000000000040/claim.json`,
    ]);
    expect(removals.length).toBeLessThanOrEqual(10);
  });
});
