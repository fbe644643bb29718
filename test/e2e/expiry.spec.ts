import { expect, test } from './support/fixtures.ts';
import {
  actorsPath,
  call,
  expectProblem,
  freshActor,
  openSharedApp,
  type SharedApp,
} from './support/app.ts';
import { dumpDatabase, putReceipt, receiptsOf } from './support/database.ts';

// DESIGN.md §3: a final receipt expires receiptTtlMs after its answer; a pending one never does.
let app: SharedApp;
test.beforeAll(async ({ browser }) => {
  app = await openSharedApp(browser);
});
test.afterAll(async () => {
  await app.close();
});

test('an expired receipt is swept, a pending one stays (short-ttl: receiptTtlMs 1500)', async () => {
  const ttlMs = 1500;
  const page = await app.page('short-ttl');
  const actor = freshActor('expiry');
  const base = `${actorsPath('short-ttl')}${actor}`;

  const done = await call(page, {
    method: 'PUT',
    path: `${base}/tasks`,
    key: 'old',
    body: { n: 1 },
  });
  expect(done.status).toBe(201);
  const stored = receiptsOf(await dumpDatabase(page), actor).get('old');
  expect(stored).toMatchObject({ status: 'done' });
  expect((stored?.expiresAt ?? 0) - (stored?.createdAt ?? 0)).toBe(ttlMs);

  const createdAt = Date.now();
  await putReceipt(page, {
    actorId: actor,
    key: 'waiting',
    fingerprint: '0'.repeat(64),
    seq: 99,
    status: 'pending',
    answer: { status: 202, headers: [['content-type', 'application/json']], body: '{}' },
    createdAt,
  });

  // Past the TTL the receipt no longer answers, even before the sweep deletes it.
  await page.waitForTimeout(ttlMs + 200);
  expectProblem(await call(page, { path: `${base}/tasks/old` }), 404, 'receipt-not-found');

  // The host sweeps after a request, at most once per min(ttl, 60 s).
  const trigger = await call(page, {
    method: 'PUT',
    path: `${base}/tasks`,
    key: 'new',
    body: { n: 2 },
  });
  expect(trigger.status).toBe(201);
  await expect
    .poll(async () => [...receiptsOf(await dumpDatabase(page), actor).keys()].sort(), {
      intervals: [50],
    })
    .toEqual(['new', 'waiting']);
  const receipts = receiptsOf(await dumpDatabase(page), actor);
  expect(receipts.get('waiting')).toMatchObject({ status: 'pending', createdAt });
  expect(receipts.get('waiting')?.expiresAt).toBeUndefined();

  expectProblem(await call(page, { path: `${base}/tasks/old` }), 404, 'receipt-not-found');
  const pending = await call(page, { path: `${base}/tasks/waiting` });
  expect(pending.status).toBe(200);
  expect(pending.json).toMatchObject({ key: 'waiting', status: 'pending', expiresAt: null });
  // Expiry forgets the receipt, not the effect: the state still holds both tasks.
  const state = (await call(page, { path: `${base}/state` })).json as { tasks: { key: string }[] };
  expect(state.tasks.map((task) => task.key)).toEqual(['old', 'new']);
});
