import { type Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import {
  actorsPath,
  call,
  callAll,
  freshActor,
  openApp,
  openSharedApp,
  runsOf,
  type Call,
  type SharedApp,
} from './support/app.ts';
import { dumpDatabase, receiptsOf } from './support/database.ts';

// DESIGN.md §7: one effect per key per actor, whatever is retried or duplicated across tabs.
test.describe.configure({ mode: 'serial' });

let app: SharedApp;
let page: Page;
test.beforeAll(async ({ browser }) => {
  app = await openSharedApp(browser);
  page = await app.page();
});
test.afterAll(async () => {
  await app.close();
});

test('five sequential retries of one key: one effect, five identical answers', async () => {
  const actor = freshActor('retry');
  const add: Call = {
    method: 'POST',
    path: `${actorsPath()}${actor}/execute`,
    key: 'five',
    body: { type: 'add', amount: 5 },
  };
  const task: Call = {
    method: 'PUT',
    path: `${actorsPath()}${actor}/tasks`,
    key: 'five-task',
    body: { drink: 'flat white' },
  };
  for (const request of [add, task]) {
    const answers = [];
    for (let attempt = 0; attempt < 5; attempt++) answers.push(await call(page, request));
    const [first, ...retries] = answers;
    expect(first?.status).toBe(request === add ? 200 : 201);
    expect(first?.headers['idempotent-replayed']).toBeUndefined();
    for (const retry of retries) {
      expect(retry.status).toBe(first?.status);
      expect(retry.text).toBe(first?.text);
      expect(retry.headers['idempotent-replayed']).toBe('true');
    }
  }
  const state = (await call(page, { path: `${actorsPath()}${actor}/state` })).json as {
    total: number;
    tasks: { key: string }[];
  };
  expect(state.total).toBe(5);
  expect(state.tasks.map((entry) => entry.key)).toEqual(['five-task']);
  expect((await runsOf(page))[`${actor}/add`]).toBe(1);
  expect([...receiptsOf(await dumpDatabase(page), actor).keys()].sort()).toEqual([
    'five',
    'five-task',
  ]);
});

test('40 concurrent duplicates of one key from two tabs: one effect, 40 identical answers', async () => {
  const second = await app.context.newPage();
  await openApp(second);
  const controlled = (tab: Page) =>
    tab.evaluate(() => navigator.serviceWorker.controller?.scriptURL);
  expect(await controlled(second)).toBe(await controlled(page));

  const actor = freshActor('dup');
  const request: Call = {
    method: 'POST',
    path: `${actorsPath()}${actor}/execute`,
    key: 'one-key',
    body: { type: 'add', amount: 7 },
  };
  const twenty = Array.from({ length: 20 }, () => request);
  const [fromFirst, fromSecond] = await Promise.all([
    callAll(page, twenty),
    callAll(second, twenty),
  ]);
  const answers = [...fromFirst, ...fromSecond];
  expect(answers).toHaveLength(40);
  const [reference] = answers;
  expect(reference?.json).toEqual({ key: 'one-key', status: 'done', result: { total: 7 } });
  for (const answer of answers) {
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(reference?.text);
  }
  // Exactly one answer is the original; every other one is marked as a replay.
  const originals = answers.filter((answer) => answer.headers['idempotent-replayed'] !== 'true');
  expect(originals).toHaveLength(1);

  expect((await runsOf(page))[`${actor}/add`]).toBe(1);
  expect((await call(second, { path: `${actorsPath()}${actor}/state` })).json).toEqual({
    total: 7,
  });
  const receipts = receiptsOf(await dumpDatabase(page), actor);
  expect([...receipts.keys()]).toEqual(['one-key']);
  expect(receipts.get('one-key')).toMatchObject({ seq: 1, status: 'done' });
  await second.close();
});
