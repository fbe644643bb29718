import '../setup.ts';
import { readdir } from 'node:fs/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isSyncError } from '../../../src/errors/SyncError.ts';
import { openDb } from '../../../src/store/openDb.ts';
import { probeRemote } from '../../../src/sync/probeRemote.ts';
import { probeScratch, type ProbeScratch } from '../../../src/sync/probeScratch.ts';
import { normalizeRemote, type RemoteFetch } from '../../../src/webdav/remoteConfig.ts';
import { startFaultProxy, type FaultProxy } from '../../servers/faultProxy.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';
import { resentMkcol } from '../support/resentMkcol.ts';
import { deviceA } from './support/builders.ts';

let server: WebdavServer;
let proxy: FaultProxy;
const quick = { attempts: 4, baseDelayMs: 10 };
const through = (url: string) => normalizeRemote({ url, timeoutMs: 5000 });

beforeAll(async () => {
  server = await startWebdavServer('embedded');
  proxy = await startFaultProxy({ target: server.url });
});
afterEach(() => {
  proxy.clear();
  vi.useRealTimers();
});
afterAll(async () => {
  await proxy.close();
  await server.stop();
});

/** The probe's scratch folders still on the server's disk. */
async function scratchLeft(): Promise<string[]> {
  return (await readdir(server.dataDir)).filter((name) => name.startsWith('.actordav-probe-'));
}

async function verdictOf(probe: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error: unknown = await probe.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!isSyncError(error)) throw new Error(`expected a SyncError, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describe('probeRemote', () => {
  it('passes the embedded server, finds If-None-Match honoured and leaves nothing behind', async () => {
    const result = await probeRemote(through(server.url), deviceA, quick);
    expect(result.ifNoneMatch).toBe('honoured');
    expect(Math.abs(result.checkedAt - Date.now())).toBeLessThan(60_000);
    expect(await scratchLeft()).toEqual([]);
  });

  it('refuses a server whose MOVE checks and then renames: several racers win', async () => {
    proxy.inject({ fault: 'raceMove', method: 'MOVE', delayMs: 50 });
    const verdict = await verdictOf(probeRemote(through(proxy.url), deviceA, quick));
    expect(verdict.code).toBe('remote-unsafe');
    expect(verdict.message).toMatch(/of 8 simultaneous MOVEs onto one new name succeeded/);
    // The sequential checks passed through the same fault: only the race shows it.
    expect(proxy.faults.raceMove).toBeGreaterThanOrEqual(10);
    expect(await scratchLeft()).toEqual([]);
  });

  it("refuses a server whose target holds more than one racer's files", async () => {
    // Every racing MOVE merges its folder's file into the target and answers 412: no 2xx at all.
    const merging: RemoteFetch = async (input, init) => {
      const destination = new Headers(init.headers).get('destination');
      const racer = /\/r\d+-(\d+)\/$/.exec(input)?.[1];
      if (init.method !== 'MOVE' || destination === null || racer === undefined) {
        return fetch(input, init);
      }
      await fetch(destination, { method: 'MKCOL' });
      const body = await (await fetch(`${input}r${racer}`)).text();
      await fetch(`${destination}r${racer}`, { method: 'PUT', body });
      return new Response('merged', { status: 412 });
    };
    const remote = normalizeRemote({ url: server.url, fetch: merging });
    const verdict = await verdictOf(probeRemote(remote, deviceA, quick));
    expect(verdict.code).toBe('remote-unsafe');
    expect(verdict.message).toMatch(/it held r\d, r\d.*, not exactly the winner's files/);
    expect(await scratchLeft()).toEqual([]);
  });

  it('refuses a remote behind a proxy that leaves Destination unrewritten', async () => {
    const mounted = await startFaultProxy({ target: server.url, mount: '/dav/' });
    try {
      mounted.inject({ fault: 'keepDestination', method: 'MOVE' });
      const verdict = await verdictOf(probeRemote(through(mounted.url), deviceA, quick));
      expect(verdict.code).toBe('remote-unsafe');
      expect(verdict.message).toMatch(
        /a MOVE onto a new name answered \d+ and its content did not/,
      );
      expect(verdict.message).toMatch(/rewrite the Destination header/);
    } finally {
      await mounted.close();
    }
    expect(await scratchLeft()).toEqual([]);
  });

  it('passes when the browser sent each MKCOL again after its answer was lost (405)', async () => {
    const remote = normalizeRemote({ url: server.url, fetch: resentMkcol });
    expect((await probeRemote(remote, deviceA, quick)).ifNoneMatch).toBe('honoured');
    expect(await scratchLeft()).toEqual([]);
  });

  it('still says which MKCOL a server refuses outright (405, nothing made)', async () => {
    const refusing: RemoteFetch = (input, init) =>
      init.method === 'MKCOL'
        ? Promise.resolve(new Response('no', { status: 405 }))
        : fetch(input, init);
    const verdict = await verdictOf(
      probeRemote(normalizeRemote({ url: server.url, fetch: refusing }), deviceA, quick),
    );
    expect(verdict).toMatchObject({ code: 'remote-protocol' });
    expect(verdict.message).toMatch(/^MKCOL \.actordav-probe-.*: unexpected 405$/);
  });

  it('passes, but says so, a server that ignores If-None-Match', async () => {
    proxy.inject({ fault: 'ignoreIfNoneMatch' });
    const result = await probeRemote(through(proxy.url), deviceA, quick);
    expect(result.ifNoneMatch).toBe('ignored');
    expect(proxy.faults.ignoreIfNoneMatch).toBeGreaterThanOrEqual(1);
  });

  it('still refuses a MOVE that overwrites an existing collection', async () => {
    proxy.inject({ fault: 'overwrite', method: 'MOVE', times: 1 });
    const verdict = await verdictOf(probeRemote(through(proxy.url), deviceA, quick));
    expect(verdict).toMatchObject({ code: 'remote-unsafe' });
    expect(verdict.message).toMatch(/replaced an existing collection/);
    expect(await scratchLeft()).toEqual([]);
  });

  it('is cut short, not refused, when a read-back gets a 503', async () => {
    proxy.inject({ fault: 'unavailable', method: 'GET', times: 1 });
    const verdict = await verdictOf(probeRemote(through(proxy.url), deviceA, quick));
    expect(verdict.code).toBe('remote-server-error');
    proxy.clear();
    await probeRemote(through(proxy.url), deviceA, quick);
  });

  it('removes its scratch folder although the DELETE got a 500 once', async () => {
    const before = proxy.faults.serverError;
    proxy.inject({ fault: 'serverError', method: 'DELETE', times: 1 });
    await probeRemote(through(proxy.url), deviceA, quick);
    expect(proxy.faults.serverError - before).toBe(1);
    expect(await scratchLeft()).toEqual([]);
  });

  it('reports a scratch folder it could not remove, also after a failed check', async () => {
    const removeFault = proxy.inject({ fault: 'serverError', method: 'DELETE' });
    const before = proxy.faults.serverError;
    const passed = await verdictOf(probeRemote(through(proxy.url), deviceA, quick));
    expect(passed.code).toBe('remote-server-error');
    expect(passed.message).toMatch(/is left on the remote after 4 attempts/);
    expect(proxy.faults.serverError - before).toBe(4);

    proxy.inject({ fault: 'overwrite', method: 'MOVE', times: 1 });
    const unsafe = await verdictOf(probeRemote(through(proxy.url), deviceA, quick));
    expect(unsafe.code).toBe('remote-unsafe');
    expect(unsafe.message).toMatch(/also: .* is left on the remote/);
    removeFault();
    expect(await scratchLeft()).toHaveLength(2);
    for (const name of await scratchLeft()) {
      await fetch(new URL(`${name}/`, server.url), { method: 'DELETE' });
    }
  });
});

describe('probeRemote: folders a stopped worker left', () => {
  const minutes = 60 * 1000;

  async function scratchFor(url: string): Promise<ProbeScratch> {
    const db = await openDb(`probe-scratch-${crypto.randomUUID()}`);
    return probeScratch(() => Promise.resolve(db), url);
  }

  /** What a worker stopped right after the probe's MKCOL leaves: the note and the folder. */
  async function abandon(scratch: ProbeScratch, url: string, agoMs: number): Promise<string> {
    const root = `.actordav-probe-${deviceA}-${crypto.randomUUID()}/`;
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - agoMs);
    await scratch.made(root);
    vi.useRealTimers();
    expect((await fetch(new URL(root, url), { method: 'MKCOL' })).status).toBe(201);
    return root;
  }

  it('removes one left over 10 minutes ago, and leaves a recent one (a probe may still use it)', async () => {
    const scratch = await scratchFor(server.url);
    await abandon(scratch, server.url, 11 * minutes);
    const recent = await abandon(scratch, server.url, 1 * minutes);
    await probeRemote(through(server.url), deviceA, quick, scratch);
    expect(await scratchLeft()).toEqual([recent.slice(0, -1)]);
    expect(await scratch.leftovers()).toEqual([]);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 11 * minutes);
    expect(await scratch.leftovers()).toEqual([recent]);
    vi.useRealTimers();
    await fetch(new URL(recent, server.url), { method: 'DELETE' });
  });

  it('keeps the note of a folder it could not remove, and a later probe removes it', async () => {
    const scratch = await scratchFor(proxy.url);
    const removeFault = proxy.inject({ fault: 'serverError', method: 'DELETE' });
    const failed = await verdictOf(probeRemote(through(proxy.url), deviceA, quick, scratch));
    expect(failed.message).toMatch(/is left on the remote/);
    removeFault();
    expect(await scratchLeft()).toHaveLength(1);

    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 11 * minutes);
    expect(await scratch.leftovers()).toHaveLength(1);
    await probeRemote(through(proxy.url), deviceA, quick, scratch);
    expect(await scratchLeft()).toEqual([]);
    expect(await scratch.leftovers()).toEqual([]);
  });

  it('notes nothing when the MKCOL fails', async () => {
    const scratch = await scratchFor(proxy.url);
    proxy.inject({ fault: 'serverError', method: 'MKCOL', times: 1 });
    expect((await verdictOf(probeRemote(through(proxy.url), deviceA, quick, scratch))).code).toBe(
      'remote-server-error',
    );
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 11 * minutes);
    expect(await scratch.leftovers()).toEqual([]);
  });
});
