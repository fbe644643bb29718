import { createHash } from 'node:crypto';
import { type Page } from '@playwright/test';
import { expect, test } from '../support/fixtures.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';
import { call, openApp } from '../support/app.ts';
import { appUrl } from '../support/browser.ts';
import { dumpDatabase, receiptsOf } from '../support/database.ts';
import { readHead } from '../support/remoteFiles.ts';
import { SyncDevice } from '../support/syncDevice.ts';

// The schema upgrade from version 1 (src/store/upgradeSchema.ts: v1 had actors, receipts, outbox
// and meta; v2 added segments). A page writes a version-1 database with version-1 records
// before any worker opens it; then the worker upgrades it: every record survives and works.

const deviceId = '0b6a3f5e-4c1d-4e8f-9a2b-7c6d5e4f3a2b';

/** What the page writes: version-1 records (no `acked`, no `lastSyncedAt`, no segments). */
interface V1Records {
  actors: Record<string, unknown>[];
  receipts: Record<string, unknown>[];
  outbox: Record<string, unknown>[];
  meta: [string, string | number][];
}

/**
 * Opens a same-origin page that registers no worker (the worker script itself, shown as text)
 * and creates `actordav` at version 1 with these records, closing it afterwards.
 */
async function writeV1Database(page: Page, records: V1Records): Promise<void> {
  await page.goto('/sw.js?plain-page');
  await page.evaluate(async (v1: V1Records) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('actordav', 1);
      open.onupgradeneeded = () => {
        const made = open.result;
        made.createObjectStore('actors', { keyPath: 'id' });
        const receipts = made.createObjectStore('receipts', { keyPath: ['actorId', 'key'] });
        receipts.createIndex('by-expiry', 'expiresAt');
        made.createObjectStore('outbox', { keyPath: ['actorId', 'seq'] });
        made.createObjectStore('meta');
      };
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(new Error('cannot create the v1 database'));
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction(['actors', 'receipts', 'outbox', 'meta'], 'readwrite');
      for (const actor of v1.actors) tx.objectStore('actors').put(actor);
      for (const receipt of v1.receipts) tx.objectStore('receipts').put(receipt);
      for (const row of v1.outbox) tx.objectStore('outbox').put(row);
      for (const [key, value] of v1.meta) tx.objectStore('meta').put(value, key);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(new Error('cannot write the v1 records'));
    });
    db.close();
  }, records);
}

/** What the worker computes too: the ETag (SHA-256 of canonical JSON) and a request's fingerprint. */
function hashes(inputs: { state: string; print: string }) {
  const hex = (text: string) => createHash('sha256').update(text).digest('hex');
  return { etag: `"${hex(inputs.state).slice(0, 32)}"`, fingerprint: hex(inputs.print) };
}

const at = Date.UTC(2024, 0, 2, 3, 4, 5);
const body = '{"n":1}';

test('a version-1 database without a remote: state, receipts and meta survive and work', async ({
  browser,
}) => {
  const context = await browser.newContext({ baseURL: appUrl, serviceWorkers: 'allow' });
  const page = await context.newPage();
  try {
    const actor = 'v1-local';
    const state = { tasks: [{ at, key: 'old-1', task: { n: 1 } }] };
    const { etag, fingerprint } = hashes({
      state: JSON.stringify(state),
      print: `PUT\n/actors/${actor}/tasks\n\n${body}`,
    });
    const answerBody = JSON.stringify({ key: 'old-1', status: 'done', result: state.tasks[0] });
    await writeV1Database(page, {
      actors: [{ id: actor, state, etag, confirmedState: state, version: 0, seq: 1 }],
      receipts: [
        {
          actorId: actor,
          key: 'old-1',
          fingerprint,
          seq: 1,
          status: 'done',
          answer: {
            status: 201,
            headers: [
              ['content-type', 'application/json'],
              ['location', `/actors/${actor}/tasks/old-1`],
            ],
            body: answerBody,
          },
          createdAt: Date.now(),
          expiresAt: Date.now() + 3_600_000,
        },
      ],
      outbox: [],
      meta: [
        ['deviceId', deviceId],
        ['schemaVersion', 1],
      ],
    });

    await openApp(page);
    // The state and its ETag, as version 1 left them.
    const read = await call(page, { path: `/actors/${actor}/state` });
    expect(read.json).toEqual(state);
    expect(read.headers['etag']).toBe(etag);
    // The old receipt answers a retry of its key byte for byte, without a second effect.
    const replay = await call(page, {
      method: 'PUT',
      path: `/actors/${actor}/tasks`,
      key: 'old-1',
      raw: body,
    });
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.text).toBe(answerBody);
    // New work goes on from seq 2, on top of the old state; the old ETag still guards it.
    const next = await call(page, {
      method: 'PUT',
      path: `/actors/${actor}/tasks`,
      key: 'new-2',
      body: { n: 2 },
    });
    expect(next.status, next.text).toBe(201);
    const replace = await call(page, {
      method: 'PUT',
      path: `/actors/${actor}/state`,
      key: 'stale-etag',
      body: { reset: true },
      headers: { 'if-match': etag },
    });
    expect(replace.status).toBe(412);

    const dump = await dumpDatabase(page);
    expect(Object.keys(dump).sort()).toEqual(['actors', 'meta', 'outbox', 'receipts', 'segments']);
    expect(dump['meta']).toEqual(
      expect.arrayContaining([
        { key: 'deviceId', value: deviceId },
        { key: 'schemaVersion', value: 2 },
      ]),
    );
    const receipts = receiptsOf(dump, actor);
    expect(receipts.get('old-1')).toMatchObject({ status: 'done', seq: 1, fingerprint });
    expect(receipts.get('new-2')).toMatchObject({ status: 'done', seq: 2 });
    const record = dump['actors']?.find((row) => row.key === actor)?.value as {
      seq: number;
      state: typeof state;
    };
    expect(record.seq).toBe(2);
    expect(record.state.tasks.map((entry) => entry.key)).toEqual(['old-1', 'new-2']);
  } finally {
    await context.close();
  }
});

test.describe('with a remote', () => {
  let server: WebdavServer;
  test.beforeAll(async () => {
    server = await startWebdavServer('embedded');
  });
  test.afterAll(async () => {
    await server.stop();
  });

  test('a version-1 outbox row (accepted offline) reaches the remote once after the upgrade', async ({
    browser,
  }) => {
    const context = await browser.newContext({ baseURL: appUrl, serviceWorkers: 'allow' });
    const page = await context.newPage();
    const name = 'v1-sync';
    const actor = 'v1-pending';
    try {
      const state = { tasks: [{ at, key: 'old-p', task: { n: 1 } }] };
      const { etag, fingerprint } = hashes({
        state: JSON.stringify(state),
        print: `PUT\n/${name}/actors/${actor}/tasks\n\n${body}`,
      });
      const location = `/${name}/actors/${actor}/tasks/old-p`;
      await writeV1Database(page, {
        actors: [{ id: actor, state, etag, confirmedState: {}, version: 0, seq: 1 }],
        receipts: [
          {
            actorId: actor,
            key: 'old-p',
            fingerprint,
            seq: 1,
            status: 'pending',
            answer: {
              status: 202,
              headers: [
                ['content-type', 'application/json'],
                ['location', location],
              ],
              body: JSON.stringify({ key: 'old-p', status: 'pending', result: state.tasks[0] }),
            },
            createdAt: at,
          },
        ],
        outbox: [
          {
            actorId: actor,
            seq: 1,
            key: 'old-p',
            fingerprint,
            message: { type: '@task', payload: { n: 1 } },
            at,
          },
        ],
        meta: [
          ['deviceId', deviceId],
          ['schemaVersion', 1],
        ],
      });

      // The worker starts, upgrades the database, and its start-up round syncs the old message.
      const device = new SyncDevice(page, name);
      await page.goto(
        `/${name}/?${new URLSearchParams({ variant: 'sync', remote: server.url }).toString()}`,
      );
      await expect(page.locator('#ready')).toHaveText('ready');
      await device.syncNow();
      await device.waitUntilSynced(actor);
      const receipt = await device.receipt(actor, 'old-p');
      expect(receipt.json).toMatchObject({ status: 'done', answer: { status: 201 } });
      const head = await readHead({ url: server.url }, actor);
      expect(head?.state).toEqual(state);
      // The version records this device under the id version 1 gave it.
      expect(Object.keys(head?.devices ?? {})).toEqual([deviceId]);
      // A retry of the old key is a replay of the now final answer.
      const retry = await call(page, {
        method: 'PUT',
        path: `/${name}/actors/${actor}/tasks`,
        key: 'old-p',
        raw: body,
      });
      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
    } finally {
      await context.close();
    }
  });
});
