import '../setup.ts';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SegmentRecord } from '../../../src/store/schema.ts';
import { actorSegments } from '../../../src/store/segments.ts';
import { encodeSegment } from '../../../src/sync/segmentFile.ts';
import { uploadSegments } from '../../../src/sync/uploadSegments.ts';
import { normalizeRemote, type RemoteFetch } from '../../../src/webdav/remoteConfig.ts';
import type { FaultKind } from '../../servers/faultProxy.ts';
import { embeddedBehindProxy } from './support/embeddedBehindProxy.ts';
import { now, segment } from './support/builders.ts';
import { localDevice, type LocalDevice } from './support/localStore.ts';
import { plantLayout, recordingRemote } from './support/remoteFiles.ts';
import { syncFailure } from './support/syncFailure.ts';

const dav = embeddedBehindProxy();
let actors = 0;
const through = (url: string, fetch?: RemoteFetch, timeoutMs = 5000) =>
  normalizeRemote({ url, timeoutMs, ...(fetch === undefined ? {} : { fetch }) });

/** A device and an actor of their own; unless told not to, the actor's collections exist. */
async function setUp(layout = true): Promise<{ local: LocalDevice; actor: string }> {
  const actor = `upload-${++actors}`;
  if (layout) await plantLayout(dav.server.dataDir, actor);
  return { local: await localDevice(), actor };
}

/** Fixes seqs `first…last` of the device as a segment held in IndexedDB, as `fixSegments` would. */
async function hold(
  { local, actor }: { local: LocalDevice; actor: string },
  first: number,
  last = first,
  uploaded = false,
): Promise<SegmentRecord> {
  const items = Array.from({ length: last - first + 1 }, (_, index) => ({
    at: now + first + index,
  }));
  const { name, body } = await encodeSegment(segment(local.deviceId, first, items, actor));
  const record: SegmentRecord = { actorId: actor, first, last, name, body, uploaded };
  await local.db.put('segments', record);
  return record;
}

const logDir = (actor: string) => join(dav.server.dataDir, actor, 'log');
const onRemote = (actor: string) => readdir(logDir(actor)).catch(() => []);
const bytesOnRemote = (actor: string, name: string) => readFile(join(logDir(actor), name), 'utf8');
/** Which of the actor's segments IndexedDB marks uploaded, by first seq. */
async function marked(local: LocalDevice, actor: string): Promise<[number, boolean][]> {
  return (await actorSegments(local.db, actor)).map(({ first, uploaded }) => [first, uploaded]);
}

describe('uploadSegments (DESIGN.md §6.1)', () => {
  it('PUTs each pending segment to {actor}/log/{name} with its bytes, in seq order, and marks it uploaded', async () => {
    // A new actor: its collections are made after the first PUT finds them missing.
    const device = await setUp(false);
    const { local, actor } = device;
    const [one, two] = [await hold(device, 1, 2), await hold(device, 3, 5)];
    const { remote, seen } = recordingRemote(dav.server.url);
    await uploadSegments(remote, local.db, actor);

    expect(seen).toEqual([
      `PUT /${actor}/log/${one.name}`,
      `MKCOL /${actor}/`,
      `MKCOL /${actor}/log/`,
      `PUT /${actor}/log/${one.name}`,
      `PUT /${actor}/log/${two.name}`,
    ]);
    expect(await bytesOnRemote(actor, one.name)).toBe(one.body);
    expect(await bytesOnRemote(actor, two.name)).toBe(two.body);
    expect(await marked(local, actor)).toEqual([
      [1, true],
      [3, true],
    ]);
  });

  it('sends nothing for a segment marked uploaded', async () => {
    const device = await setUp();
    const { local, actor } = device;
    // Marked uploaded, yet not on the remote: putting lost segments back is readRuns' part.
    await hold(device, 1, 1, true);
    const pending = await hold(device, 2);
    const { remote, seen } = recordingRemote(dav.server.url);
    await uploadSegments(remote, local.db, actor);
    expect(seen).toEqual([`PUT /${actor}/log/${pending.name}`]);
    expect(await onRemote(actor)).toEqual([pending.name]);

    seen.length = 0;
    await uploadSegments(remote, local.db, actor);
    expect(seen).toEqual([]);
  });

  it('sends every PUT with If-None-Match: *', async () => {
    const device = await setUp();
    await hold(device, 1);
    await hold(device, 2);
    // The fault only strips the header, and counts only the requests that carried it.
    const before = dav.proxy.faults.ignoreIfNoneMatch;
    dav.proxy.inject({ fault: 'ignoreIfNoneMatch', method: 'PUT' });
    await uploadSegments(through(dav.proxy.url), device.local.db, device.actor);
    expect(dav.proxy.faults.ignoreIfNoneMatch - before).toBe(2);
    expect(await onRemote(device.actor)).toHaveLength(2);
  });

  it('counts a segment whose PUT committed but lost its answer as uploaded, when the retry finds its own bytes', async () => {
    const device = await setUp();
    const { local, actor } = device;
    const one = await hold(device, 1, 3);
    dav.proxy.inject({ fault: 'lostAck', method: 'PUT', times: 1 });
    const lost = await syncFailure(uploadSegments(through(dav.proxy.url), local.db, actor));
    expect(lost).toMatchObject({ code: 'remote-unreachable', retryable: true });
    expect(await bytesOnRemote(actor, one.name)).toBe(one.body);
    expect(await marked(local, actor)).toEqual([[1, false]]);

    const { remote, seen } = recordingRemote(dav.server.url);
    await uploadSegments(remote, local.db, actor);
    // The PUT is refused (412): the name exists. The same bytes there are ours.
    expect(seen).toEqual([`PUT /${actor}/log/${one.name}`, `GET /${actor}/log/${one.name}`]);
    expect(await marked(local, actor)).toEqual([[1, true]]);
    expect(await bytesOnRemote(actor, one.name)).toBe(one.body);
  });

  it('stops with device-id-conflict on other bytes under our name: the remote keeps them, and nothing after is sent or marked', async () => {
    const device = await setUp();
    const { local, actor } = device;
    const one = await hold(device, 1);
    await hold(device, 2);
    const theirs = one.body.replace(`"at":${now + 1}`, `"at":${now + 9}`);
    expect(theirs).not.toBe(one.body);
    await writeFile(join(logDir(actor), one.name), theirs);

    const conflict = await syncFailure(uploadSegments(through(dav.server.url), local.db, actor));
    expect(conflict).toMatchObject({ code: 'device-id-conflict', retryable: false });
    expect(conflict.message).toContain(one.name);
    expect(await bytesOnRemote(actor, one.name)).toBe(theirs);
    expect(await onRemote(actor)).toEqual([one.name]);
    expect(await marked(local, actor)).toEqual([
      [1, false],
      [2, false],
    ]);
  });

  // A 405 no step expects: a protocol problem, not a reason to retry.
  const refusing: RemoteFetch = (input, init) =>
    init.method === 'PUT' ? Promise.resolve(new Response('', { status: 405 })) : fetch(input, init);

  it.each([
    { why: 'a 500 on the PUT', fault: 'serverError', method: 'PUT', code: 'remote-server-error' },
    { why: 'a 503 on the PUT', fault: 'unavailable', method: 'PUT', code: 'remote-server-error' },
    { why: 'no answer to the PUT', fault: 'drop', method: 'PUT', code: 'remote-unreachable' },
    { why: 'a PUT past the time limit', fault: 'delay', method: 'PUT', code: 'remote-timeout' },
    {
      why: 'a 500 on the GET after a 412',
      fault: 'serverError',
      method: 'GET',
      code: 'remote-server-error',
      present: true,
    },
    { why: 'a 405 on the PUT', fetch: refusing, code: 'remote-protocol', retryable: false },
  ] satisfies {
    why: string;
    fault?: FaultKind;
    method?: string;
    fetch?: RemoteFetch;
    code: string;
    present?: boolean;
    retryable?: boolean;
  }[])(
    'fails with $code after $why, and leaves the segment pending',
    async ({ fault, method, fetch, code, present = false, retryable = true }) => {
      const device = await setUp();
      const { local, actor } = device;
      const one = await hold(device, 1);
      const two = await hold(device, 2);
      if (present) await writeFile(join(logDir(actor), one.name), one.body);
      if (fault !== undefined) dav.proxy.inject({ fault, method, delayMs: 1000 });
      const remote = through(fault === undefined ? dav.server.url : dav.proxy.url, fetch, 200);

      const failure = await syncFailure(uploadSegments(remote, local.db, actor));
      expect(failure).toMatchObject({ code, retryable });
      expect(failure.message).toContain(one.name);
      expect(await marked(local, actor)).toEqual([
        [1, false],
        [2, false],
      ]);
      expect(await onRemote(actor)).not.toContain(two.name);
    },
  );
});
