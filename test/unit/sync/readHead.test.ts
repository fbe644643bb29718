import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHead } from '../../../src/sync/readHead.ts';
import type { VersionFile } from '../../../src/sync/versionFile.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';
import { version } from './support/builders.ts';
import { plantVersion, recordingRemote } from './support/remoteFiles.ts';

let server: WebdavServer;
let actors = 0;

beforeAll(async () => {
  server = await startWebdavServer('embedded');
});
afterAll(() => server.stop());

describe('readHead', () => {
  it('reuses a cached version only while its number still holds its nonce', async () => {
    const actor = `head-${++actors}`;
    const cache = new Map<string, VersionFile>();
    const first = version(1, { nonce: 'first', state: { who: 'first' } });
    await plantVersion(server.dataDir, first, { actor });
    const { remote, seen } = recordingRemote(server.url);
    expect(await readHead(remote, actor, cache)).toEqual(first);

    // Unchanged: only the small claim file is read to tell.
    seen.length = 0;
    expect(await readHead(remote, actor, cache)).toEqual(first);
    expect(seen).toEqual([
      `PROPFIND /${actor}/v/000000000002/`,
      `GET /${actor}/v/000000000001/claim.json`,
    ]);

    // Another claim took number 1 (a racing server, a restored copy): the cache must not answer.
    const second = version(1, { nonce: 'second', state: { who: 'second' } });
    await plantVersion(server.dataDir, second, { actor });
    expect(await readHead(remote, actor, cache)).toEqual(second);
    expect(cache.get(actor)).toEqual(second);
  });

  it('reads a version without a claim file (written by older code) every time', async () => {
    const actor = `head-${++actors}`;
    const cache = new Map<string, VersionFile>();
    const old = version(1, { nonce: 'old' });
    await plantVersion(server.dataDir, old, { actor, claim: false });
    const { remote, seen } = recordingRemote(server.url);
    await readHead(remote, actor, cache);
    const replaced = version(1, { nonce: 'replaced' });
    await plantVersion(server.dataDir, replaced, { actor, claim: false });
    seen.length = 0;
    expect(await readHead(remote, actor, cache)).toEqual(replaced);
    expect(seen).toContain(`GET /${actor}/v/000000000001/state.json`);
  });
});
