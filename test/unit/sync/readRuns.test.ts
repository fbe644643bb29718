import { afterEach, describe, expect, it, vi } from 'vitest';
import { isSyncError, type SyncError } from '../../../src/errors/SyncError.ts';
import type { SegmentRecord } from '../../../src/store/schema.ts';
import { readRuns } from '../../../src/sync/readRuns.ts';
import { encodeSegment, type Segment } from '../../../src/sync/segmentFile.ts';
import { genesisVersion, type VersionFile } from '../../../src/sync/versionFile.ts';
import { normalizeRemote } from '../../../src/webdav/remoteConfig.ts';
import {
  actorId,
  deviceA,
  deviceB,
  deviceC,
  deviceEntry,
  now,
  segment,
  version,
} from './support/builders.ts';

const remote = normalizeRemote({ url: 'http://dav.test/dav/' });
const logPath = `/dav/${actorId}/log/`;

interface Stored {
  name: string;
  body: string;
}

/**
 * Stubs the global fetch as a WebDAV server holding `files` in the actor's `log/`: PROPFIND
 * answers a 207 multistatus listing them, GET serves one. Returns the requests it saw.
 */
function serveLog(files: readonly Stored[]): string[] {
  const seen: string[] = [];
  const bodies = new Map(files.map((file) => [file.name, file.body]));
  vi.stubGlobal('fetch', (url: string, init: RequestInit) => {
    const { pathname } = new URL(url);
    const method = init.method ?? 'GET';
    seen.push(`${method} ${decodeURIComponent(pathname)}`);
    if (method === 'PROPFIND' && pathname === logPath) {
      const responses = [logPath, ...files.map((file) => `${logPath}${file.name}`)].map(
        (href) =>
          `<D:response><D:href>${href}</D:href><D:propstat><D:prop><D:resourcetype>${
            href.endsWith('/') ? '<D:collection/>' : ''
          }</D:resourcetype></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>`,
      );
      const xml = `<?xml version="1.0" encoding="utf-8"?><D:multistatus xmlns:D="DAV:">${responses.join('')}</D:multistatus>`;
      return Promise.resolve(new Response(xml, { status: 207 }));
    }
    const body =
      method === 'GET' ? bodies.get(decodeURIComponent(pathname.slice(logPath.length))) : undefined;
    return Promise.resolve(new Response(body ?? null, { status: body === undefined ? 404 : 200 }));
  });
  return seen;
}

async function stored(one: Segment): Promise<Stored> {
  return encodeSegment(one);
}

function ownRecord(file: Stored, one: Segment): SegmentRecord {
  return { actorId, first: one.first, last: one.last, ...file, uploaded: true };
}

const ranges = (segments: readonly Segment[]) =>
  segments.map(({ deviceId, first, last }) => `${deviceId.slice(0, 1)}:${first}-${last}`);

async function rejection(promise: Promise<unknown>): Promise<SyncError> {
  try {
    await promise;
  } catch (error) {
    if (isSyncError(error)) return error;
    throw error;
  }
  throw new Error('expected a SyncError');
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('readRuns', () => {
  it("reads every device's run, its own segments from IndexedDB and the others by GET", async () => {
    const a1 = segment(deviceA, 1, [{ at: now }, { at: now + 1 }]);
    const b1 = segment(deviceB, 1, [{ at: now }]);
    const b2 = segment(deviceB, 2, [{ at: now + 2 }]);
    const [fa1, fb1, fb2] = await Promise.all([a1, b1, b2].map(stored));
    const seen = serveLog([fb2!, fa1!, fb1!]);
    const runs = await readRuns(remote, actorId, genesisVersion(), deviceA, [ownRecord(fa1!, a1)]);
    expect(runs.broken).toBeUndefined();
    expect(runs.segments).toEqual([a1, b1, b2]);
    expect(seen).toEqual([
      `PROPFIND ${logPath}`,
      `GET ${logPath}${fb1!.name}`,
      `GET ${logPath}${fb2!.name}`,
    ]);
  });

  it('throws device-id-conflict, before reading any segment, when the folding device is conflicted', async () => {
    const mine = segment(deviceA, 1, [{ at: now }, { at: now + 1 }]);
    const twin = segment(deviceA, 1, [
      { at: now, key: 'twin-1' },
      { at: now, key: 'twin-2' },
    ]);
    const other = segment(deviceB, 1, [{ at: now }]);
    const [fm, ft, fo] = await Promise.all([mine, twin, other].map(stored));
    expect(fm!.name).not.toBe(ft!.name);
    const seen = serveLog([fm!, ft!, fo!]);
    const error = await rejection(
      readRuns(remote, actorId, genesisVersion(), deviceA, [ownRecord(fm!, mine)]),
    );
    expect(error.code).toBe('device-id-conflict');
    expect(error.retryable).toBe(false);
    expect(seen).toEqual([`PROPFIND ${logPath}`]);
  });

  it('detects a twin whose range only partly overlaps, even below the watermark', async () => {
    const head: VersionFile = version(2, {
      devices: { [deviceA]: deviceEntry({ seq: 3 }) },
    });
    const mine = segment(deviceA, 1, [{ at: now }, { at: now }, { at: now }]);
    const twin = segment(deviceA, 3, [
      { at: now, key: 'twin-3' },
      { at: now, key: 'twin-4' },
    ]);
    const files = await Promise.all([mine, twin].map(stored));
    serveLog(files);
    const error = await rejection(readRuns(remote, actorId, head, deviceA, []));
    expect(error.code).toBe('device-id-conflict');
  });

  it("reports another device's conflict as broken and still folds the rest", async () => {
    const a1 = segment(deviceA, 1, [{ at: now }]);
    const b1 = segment(deviceB, 1, [{ at: now }, { at: now }]);
    const b1twin = segment(deviceB, 1, [
      { at: now, key: 'x1' },
      { at: now, key: 'x2' },
    ]);
    const b3 = segment(deviceB, 3, [{ at: now }]);
    const c1 = segment(deviceC, 1, [{ at: now }]);
    const files = await Promise.all([a1, b1, b1twin, b3, c1].map(stored));
    const seen = serveLog(files);
    const runs = await readRuns(remote, actorId, genesisVersion(), deviceA, []);
    expect(ranges(runs.segments)).toEqual(['a:1-1', 'c:1-1']);
    expect(runs.broken?.code).toBe('device-id-conflict');
    expect(runs.broken?.message).toContain(deviceB);
    expect(seen.filter((request) => request.includes(deviceB))).toEqual([]);
  });

  it('stops a device whose segment is corrupt at that segment, and reports it broken', async () => {
    const a1 = segment(deviceA, 1, [{ at: now }]);
    const a2 = segment(deviceA, 2, [{ at: now }]);
    const b1 = segment(deviceB, 1, [{ at: now }]);
    const [fa1, fa2, fb1] = await Promise.all([a1, a2, b1].map(stored));
    serveLog([{ ...fa1!, body: `${fa1!.body} ` }, fa2!, fb1!]);
    const runs = await readRuns(remote, actorId, genesisVersion(), deviceB, []);
    expect(ranges(runs.segments)).toEqual(['b:1-1']);
    expect(runs.broken?.code).toBe('remote-protocol');
  });
});
