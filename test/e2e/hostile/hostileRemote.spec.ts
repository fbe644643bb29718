import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '../support/fixtures.ts';
import { encodeSegment } from '../../../src/sync/segmentFile.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';
import { freshActor } from '../support/app.ts';
import { dumpDatabase, receiptsOf, type DatabaseDump } from '../support/database.ts';
import { listRemote, readHead, type RemoteReader } from '../support/remoteFiles.ts';
import { basicToken, SyncDevice } from '../support/syncDevice.ts';
import { actorOf, diffDumps, type RowChange } from './dumpDiff.ts';
import {
  startHostileRemote,
  startStranger,
  type HostileRemote,
  type Override,
  type Stranger,
} from './hostileRemote.ts';

// A remote that lies — broken or foreign XML, version files and log segments, HTML where JSON
// belongs, redirects to another origin — never corrupts local data: the message stays pending
// (or, for another device's broken segment, only our own message is confirmed), GET status
// names the problem in `lastError` (src/errors/SyncError.ts), nothing is sent to another origin,
// and once the remote is sane again the message is confirmed exactly once.

const name = 'hostile-remote';
const token = basicToken('alice', 's3cret-hostile');

test.describe.configure({ mode: 'serial' });

let server: WebdavServer;
let remote: HostileRemote;
let stranger: Stranger;
let device: SyncDevice;
let donorVersion: Record<string, unknown>;
const direct = (): RemoteReader => ({ url: server.url });

test.beforeAll(async ({ browser }) => {
  server = await startWebdavServer('embedded');
  remote = await startHostileRemote(server.url);
  stranger = await startStranger();
  device = await SyncDevice.open(browser, { name, remote: remote.url, confirm: 1000, token });
  // A healthy actor: its version 1 is the model for the forged version files below.
  const donor = freshActor('donor');
  await device.putTask(donor, 'k-donor');
  await device.waitUntilSynced(donor);
  donorVersion = JSON.parse(
    await readFile(join(server.dataDir, donor, 'v', '000000000001', 'state.json'), 'utf8'),
  ) as Record<string, unknown>;
});

test.afterEach(() => {
  // No redirect ever leads the worker (or its credentials) to another origin.
  expect(stranger.requests).toEqual([]);
});

test.afterAll(async () => {
  await device.close();
  await remote.close();
  await stranger.close();
  await server.stop();
});

/**
 * Sends one task and waits until the round fails with `code`. The local database then differs
 * from before only by this actor's rows: its record, the pending receipt, its outbox row and
 * segment; nothing of any other actor, nothing removed.
 */
async function expectStuck(actor: string, code: string, messagePart?: RegExp): Promise<void> {
  const before = await dumpDatabase(device.page);
  const answer = await device.putTask(actor, 'k-1');
  expect(answer.status, answer.text).toBe(202);
  const status = await device.waitForStatus(actor, (current) => {
    expect(current.lastError?.code, JSON.stringify(current)).toBe(code);
    expect(current.syncing).toBe(false);
  });
  expect(status).toMatchObject({ pending: 1, version: 0 });
  if (messagePart !== undefined) expect(status.lastError?.message).toMatch(messagePart);
  const after = await dumpDatabase(device.page);
  expectOnlyActorRows(before, after, actor);
  const receipt = receiptsOf(after, actor).get('k-1');
  expect(receipt?.status).toBe('pending');
  expect(receipt?.answer.status).toBe(202);
  expect(rowsOf(after, 'outbox', actor)).toHaveLength(1);
}

/** After the remote is sane again: one sync, the message confirmed, once, in the head. */
async function expectRecovered(actor: string): Promise<void> {
  await device.syncNow();
  const status = await device.waitUntilSynced(actor);
  expect(status.lastError).toBeNull();
  const receipt = await device.receipt(actor, 'k-1');
  expect(receipt.json).toMatchObject({ status: 'done', answer: { status: 201 } });
  const head = await readHead(direct(), actor);
  const keys = ((head?.state['tasks'] ?? []) as { key: string }[]).map((task) => task.key);
  expect(keys).toEqual(['k-1']);
}

/** While the remote answers as `rule` says, the round is stuck on `code`; told nothing, it recovers. */
async function expectStuckWhileTold(
  actor: string,
  rule: Override,
  code: string,
  messagePart?: RegExp,
): Promise<void> {
  const restore = remote.override(rule);
  await expectStuck(actor, code, messagePart);
  restore();
  await expectRecovered(actor);
}

function expectOnlyActorRows(before: DatabaseDump, after: DatabaseDump, actor: string): void {
  const changes = diffDumps(before, after);
  // The client's periodic nudge syncs every actor: an earlier test's actor may be pulled again meanwhile.
  const foreign = changes.filter((change) => actorOf(change) !== actor && !onlyPulledAgain(change));
  expect(foreign).toEqual([]);
  expect(changes.filter((change) => change.change === 'removed')).toEqual([]);
  const stores = new Set(changes.map((change) => change.store));
  for (const store of stores) expect(['actors', 'receipts', 'outbox', 'segments']).toContain(store);
}

/** An actor record whose only change is `lastSyncedAt`: a round that found nothing new. */
function onlyPulledAgain(change: RowChange): boolean {
  if (change.store !== 'actors' || change.change !== 'changed') return false;
  const strip = (record: unknown) => JSON.stringify({ ...(record as object), lastSyncedAt: 0 });
  return strip(change.before) === strip(change.after);
}

function rowsOf(dump: DatabaseDump, store: string, actor: string): unknown[] {
  return (dump[store] ?? []).filter(
    (row) => Array.isArray(row.key) && (row.key as unknown[])[0] === actor,
  );
}

const xml = { 'content-type': 'application/xml; charset=utf-8' };
// The head is found by PROPFIND Depth 0 of `v/{n}/` (DESIGN.md §6a): every one of them answers badly.
const versionsPath = (actor: string) => new RegExp(`^/${actor}/v/(\\d{12}/)?$`);

test('PROPFIND answers broken XML: remote-protocol, then recovers', async () => {
  const actor = freshActor('broken-xml');
  await expectStuckWhileTold(
    actor,
    {
      method: 'PROPFIND',
      path: versionsPath(actor),
      answer: {
        status: 207,
        headers: xml,
        body: '<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"><D:response><D:href>/x/</D:hr',
      },
    },
    'remote-protocol',
    /multistatus/,
  );
});

test('PROPFIND answers XML that is not a multistatus (an HTML page): remote-protocol', async () => {
  const actor = freshActor('html-root');
  await expectStuckWhileTold(
    actor,
    {
      method: 'PROPFIND',
      path: versionsPath(actor),
      answer: {
        status: 207,
        headers: xml,
        body: '<html><body><a href="/">login</a></body></html>',
      },
    },
    'remote-protocol',
  );
});

test('PROPFIND answers an entity-expansion bomb: refused quickly, remote-protocol', async () => {
  const actor = freshActor('xml-bomb');
  const entities = Array.from(
    { length: 9 },
    (_, i) => `<!ENTITY e${i + 1} "${`&e${i};`.repeat(10)}">`,
  ).join('');
  await expectStuckWhileTold(
    actor,
    {
      method: 'PROPFIND',
      path: versionsPath(actor),
      answer: {
        status: 207,
        headers: xml,
        body: `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY e0 "lol">${entities}]><D:multistatus xmlns:D="DAV:"><D:response><D:href>/${actor}/v/&e9;/</D:href></D:response></D:multistatus>`,
      },
    },
    'remote-protocol',
  );
});

test('PROPFIND answers 200 text/html (a captive portal): remote-protocol', async () => {
  const actor = freshActor('wrong-type');
  await expectStuckWhileTold(
    actor,
    {
      method: 'PROPFIND',
      path: versionsPath(actor),
      answer: {
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: '<!doctype html><title>Sign in to the Wi-Fi</title>',
      },
    },
    'remote-protocol',
    /200/,
  );
});

test('a listing with hrefs outside the collection: never followed, remote-protocol', async () => {
  const actor = freshActor('escaping-hrefs');
  const response = (href: string) =>
    `<D:response><D:href>${href}</D:href><D:propstat><D:prop><D:resourcetype><D:collection/></D:resourcetype></D:prop><D:status>HTTP/1.1 200 OK</D:status></D:propstat></D:response>`;
  const restore = remote.override({
    method: 'PROPFIND',
    path: versionsPath(actor),
    answer: {
      status: 207,
      headers: xml,
      body: `<?xml version="1.0"?><D:multistatus xmlns:D="DAV:">${[
        `/${actor}/v/`,
        `/${actor}/v/../../donor/v/000000000005/`,
        `${stranger.url}${actor}/v/000000000003/`,
        `/elsewhere/${actor}/v/000000000004/`,
      ]
        .map(response)
        .join('')}</D:multistatus>`,
    },
  });
  const seenBefore = remote.requests.length;
  // The head is looked for with PROPFIND Depth 0 of v/{n}/: an answer about anything else is refused.
  await expectStuck(actor, 'remote-protocol', /describes other resources/);
  const paths = remote.requests.slice(seenBefore).map((request) => request.path);
  expect(paths.filter((path) => !path.startsWith(`/${actor}/`))).toEqual([]);
  restore();
  await expectRecovered(actor);
});

test('a PROPFIND redirected to another origin: remote-redirect, nothing sent there', async () => {
  const actor = freshActor('redirect-propfind');
  await expectStuckWhileTold(
    actor,
    {
      method: 'PROPFIND',
      path: versionsPath(actor),
      answer: { status: 302, headers: { location: `${stranger.url}${actor}/v/` } },
    },
    'remote-redirect',
  );
});

test('a log upload redirected (307) to another origin: remote-redirect, body and token stay home', async () => {
  const actor = freshActor('redirect-put');
  await expectStuckWhileTold(
    actor,
    {
      method: 'PUT',
      path: new RegExp(`^/${actor}/log/`),
      answer: { status: 307, headers: { location: `${stranger.url}upload` } },
    },
    'remote-redirect',
  );
});

/** Writes a file straight into the server's folder, as a person or another program could. */
async function plant(actor: string, path: string, content: string): Promise<string> {
  const file = join(server.dataDir, actor, ...path.split('/'));
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, content);
  return file;
}

test('a version file that is not JSON: remote-protocol; removed, the message is confirmed', async () => {
  const actor = freshActor('broken-version');
  await plant(actor, 'v/000000000001/state.json', '<html>not a version</html>');
  await expectStuck(actor, 'remote-protocol', /Version 1 is unusable: not JSON/);
  await rm(join(server.dataDir, actor, 'v', '000000000001'), { recursive: true });
  await expectRecovered(actor);
});

test('a foreign version file (it says it is another version): remote-protocol', async () => {
  const actor = freshActor('foreign-version');
  await plant(actor, 'v/000000000001/state.json', JSON.stringify({ ...donorVersion, version: 7 }));
  await expectStuck(actor, 'remote-protocol', /it says it is version 7/);
  await rm(join(server.dataDir, actor, 'v', '000000000001'), { recursive: true });
  await expectRecovered(actor);
});

test('a version of a newer format (format: 3): remote-protocol, never folded or overwritten', async () => {
  const actor = freshActor('format-3');
  const newer = JSON.stringify({ ...donorVersion, format: 3, future: { field: true } });
  const file = await plant(actor, 'v/000000000001/state.json', newer);
  await expectStuck(actor, 'remote-protocol', /format 3 is newer/);
  // Nothing claimed a version after it, and it was not touched.
  expect(await readFile(file, 'utf8')).toBe(newer);
  const folders = (await listRemote(direct(), `${actor}/v/`)) ?? [];
  expect(folders.map((folder) => folder.name)).toEqual(['000000000001']);
  await rm(join(server.dataDir, actor, 'v', '000000000001'), { recursive: true });
  await expectRecovered(actor);
});

/** Another device's segment is broken: only its run stops; our own message is confirmed. */
async function expectOwnConfirmedDespite(actor: string, fileName: string, why: RegExp) {
  const before = await dumpDatabase(device.page);
  const answer = await device.putTask(actor, 'k-1');
  expect([201, 202], answer.text).toContain(answer.status);
  const status = await device.waitForStatus(actor, (current) => {
    expect(current.lastError?.code, JSON.stringify(current)).toBe('remote-protocol');
    expect(current.pending).toBe(0);
  });
  expect(status.lastError?.message).toMatch(why);
  expectOnlyActorRows(before, await dumpDatabase(device.page), actor);
  const receipt = await device.receipt(actor, 'k-1');
  expect(receipt.json).toMatchObject({ status: 'done', answer: { status: 201 } });
  // The broken segment's message was never folded.
  const head = await readHead(direct(), actor);
  expect(((head?.state['tasks'] ?? []) as { key: string }[]).map((task) => task.key)).toEqual([
    'k-1',
  ]);
  await rm(join(server.dataDir, actor, 'log', fileName));
  await device.syncNow();
  await device.waitForStatus(actor, (current) => expect(current.lastError).toBeNull());
}

test("another device's log segment that does not match its hash: not folded, remote-protocol", async () => {
  const actor = freshActor('broken-segment');
  const fileName = `${crypto.randomUUID()}.1-1.deadbeef.json`;
  await plant(actor, `log/${fileName}`, '{"format":1,"messages":[{"key":"evil"}]}');
  await expectOwnConfirmedDespite(actor, fileName, /does not match its hash/);
});

test("a foreign log segment (another actor's, hash intact): not folded, remote-protocol", async () => {
  const actor = freshActor('foreign-segment');
  const { name: fileName, body } = await encodeSegment({
    format: 1,
    actorId: 'someone-else',
    deviceId: crypto.randomUUID(),
    first: 1,
    last: 1,
    messages: [
      {
        seq: 1,
        key: 'evil',
        fingerprint: '0'.repeat(64),
        message: { type: '@task', payload: { stolen: true } },
        at: Date.now(),
      },
    ],
  });
  await plant(actor, `log/${fileName}`, body);
  await expectOwnConfirmedDespite(actor, fileName, /foreign actor or device/);
});
