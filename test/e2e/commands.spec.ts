import { type Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import {
  actorsPath,
  call,
  callAll,
  expectProblem,
  freshActor,
  openApp,
  openSharedApp,
  runsOf,
  type Call,
  type SharedApp,
} from './support/app.ts';
import { dumpDatabase, receiptsOf } from './support/database.ts';
import { engineLimit } from './support/engines.ts';
import { stopWorkers } from './support/worker.ts';

// DESIGN.md §2 (a command's rejection is an answer) and §4 (one message at a time per actor, in order).
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

const execute = (actor: string, key: string, body: Record<string, unknown>): Call => ({
  method: 'POST',
  path: `${actorsPath()}${actor}/execute`,
  key,
  body,
});

test('a command that throws is answered 409 from its receipt and never runs again', async ({
  browserName,
}) => {
  const actor = freshActor('fail');
  const request = execute(actor, 'refused', { type: 'fail' });
  const first = await call(page, request);
  expectProblem(first, 409, 'command-rejected');
  for (let retry = 0; retry < 3; retry++) {
    const again = await call(page, request);
    expect(again.status).toBe(409);
    expect(again.text).toBe(first.text);
    expect(again.headers['idempotent-replayed']).toBe('true');
  }
  expect((await runsOf(page))[`${actor}/fail`]).toBe(1);

  // A fresh worker knows the answer from IndexedDB alone: its counter shows it never ran the command.
  const limit = engineLimit(browserName, 'stopWorker');
  if (limit === undefined) {
    await stopWorkers(page);
    const afterRestart = await call(page, request);
    expect(afterRestart.status).toBe(409);
    expect(afterRestart.text).toBe(first.text);
    expect(afterRestart.headers['idempotent-replayed']).toBe('true');
    expect((await runsOf(page))[`${actor}/fail`]).toBeUndefined();
  } else {
    test.info().annotations.push({ type: 'engine limit', description: `worker stop: ${limit}` });
  }

  const receipt = receiptsOf(await dumpDatabase(page), actor).get('refused');
  expect(receipt).toMatchObject({ status: 'failed', answer: { status: 409, body: first.text } });
  // A rejected message leaves the state alone, and the actor goes on.
  const next = await call(page, execute(actor, 'after', { type: 'add', amount: 2 }));
  expect(next.json).toMatchObject({ result: { total: 2 } });
});

test('30 concurrent messages to one actor from two tabs run one at a time, in seq order', async () => {
  const second = await app.context.newPage();
  await openApp(second);
  const actor = freshActor('serial');
  const probes = Array.from({ length: 30 }, (_, n) =>
    execute(actor, `p${n}`, { type: 'probe', n }),
  );
  const [fromFirst, fromSecond] = await Promise.all([
    callAll(
      page,
      probes.filter((_, n) => n % 2 === 0),
    ),
    callAll(
      second,
      probes.filter((_, n) => n % 2 === 1),
    ),
  ]);
  await second.close();
  for (const answer of [...fromFirst, ...fromSecond]) {
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ status: 'done', result: { overlap: 1 } });
  }
  expect((await runsOf(page))[`${actor}/probe`]).toBe(30);

  // Each receipt's seq is its place in the order the mailbox ran them.
  const seqs = await callAll(
    page,
    probes.map((_, n) => ({ path: `${actorsPath()}${actor}/tasks/p${n}` })),
  );
  const bySeq = seqs
    .map((receipt, n) => ({ n, seq: (receipt.json as { seq: number }).seq }))
    .sort((a, b) => a.seq - b.seq);
  expect(bySeq.map(({ seq }) => seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  const state = (await call(page, { path: `${actorsPath()}${actor}/state` })).json as {
    order: number[];
  };
  expect(state.order).toEqual(bySeq.map(({ n }) => n));
});

test('two different actors run at the same time', async () => {
  const [first, second] = [freshActor('left'), freshActor('right')];
  const answers = await callAll(page, [
    execute(first, 'slow', { type: 'probe', n: 1, ms: 300 }),
    execute(second, 'slow', { type: 'probe', n: 1, ms: 300 }),
  ]);
  const overlaps = answers.map(
    (answer) => (answer.json as { result: { overlap: number } }).result.overlap,
  );
  expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
  expect(Math.max(...overlaps)).toBe(2);
});
