import { type Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import { actorsPath, call, freshActor, openSharedApp, type SharedApp } from './support/app.ts';
import { dumpDatabase, receiptsOf } from './support/database.ts';
import { skipWithout } from './support/engines.ts';
import { workerStopper, type WorkerStopper } from './support/worker.ts';

// DESIGN.md §4 and §7: a worker stopped mid-message leaves nothing or a committed receipt, so a
// client that retries with the same key gets exactly one effect. Chromium re-sends an in-flight
// fetch to the fresh worker, so handlers really do run twice here.
test.describe.configure({ mode: 'serial' });

let app: SharedApp | undefined;
let page: Page;
let stopper: WorkerStopper | undefined;
test.beforeAll(async ({ browser, browserName }) => {
  skipWithout(browserName, 'stopWorker');
  app = await openSharedApp(browser);
  page = await app.page();
  // The page itself stops its worker, right after it sent a given message: mid-burst by construction.
  const stop = await workerStopper(page);
  stopper = stop;
  await page.exposeFunction('stopWorkers', () => stop.stop());
});
test.afterAll(async () => {
  // Optional chains: beforeAll may have been skipped (an engine that cannot stop a worker).
  await stopper?.detach();
  await app?.close();
});

interface Outgoing {
  method: string;
  path: string;
  key: string;
  body: string;
}

interface Settled {
  key: string;
  status: number;
  text: string;
  attempts: number;
}

interface BurstResult {
  answers: Settled[];
  /** How many messages were sent and how many still unanswered at each stop. */
  stops: { sent: number; unanswered: number }[];
  failures: string[];
}

/**
 * Runs in the page: starts one message every `spacing` ms, each retried with the same key until
 * a response arrives (a stop during a fetch can fail it with `TypeError: Failed to fetch`), and
 * stops the worker right after sending each message listed in `stopAfter`.
 */
async function burst({
  messages,
  spacing,
  stopAfter,
}: {
  messages: Outgoing[];
  spacing: number;
  stopAfter: number[];
}): Promise<BurstResult> {
  const stopWorkers = (window as unknown as { stopWorkers: () => Promise<void> }).stopWorkers;
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  let sent = 0;
  let settled = 0;
  const failures: string[] = [];
  const stops: BurstResult['stops'] = [];
  const stopping: Promise<void>[] = [];
  const deliver = async ({ method, path, key, body }: Outgoing): Promise<Settled> => {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(path, {
          method,
          headers: { 'content-type': 'application/json', 'idempotency-key': JSON.stringify(key) },
          body,
          signal: AbortSignal.timeout(10_000),
        });
        const text = await response.text();
        // Firefox may hand a fetch that was in flight when its worker was stopped to the network:
        // the app's server answers, not the worker (no JSON). Nothing was run; send it again.
        if (!(response.headers.get('content-type') ?? '').includes('json')) {
          throw new Error('answered by the network, not the worker');
        }
        settled++;
        return { key, status: response.status, text, attempts: attempt };
      } catch (error) {
        failures.push(String(error));
        if (attempt >= 20) throw error;
        await sleep(20);
      }
    }
  };
  const send = async (message: Outgoing, index: number): Promise<Settled> => {
    await sleep(index * spacing);
    sent++;
    const answer = deliver(message);
    if (stopAfter.includes(index)) {
      stops.push({ sent, unanswered: sent - settled });
      stopping.push(stopWorkers());
    }
    return answer;
  };
  const answers = await Promise.all(messages.map(send));
  await Promise.all(stopping);
  return { answers, stops, failures };
}

/** Sends 60 messages over ~240 ms and stops the worker three times while they are on their way. */
async function burstWithStops(messages: Outgoing[]): Promise<Settled[]> {
  const { answers, stops, failures } = await page.evaluate(burst, {
    messages,
    spacing: 4,
    stopAfter: [12, 27, 42],
  });
  const attempts = answers.reduce((sum, answer) => sum + answer.attempts, 0);
  console.log(
    `stops at ${JSON.stringify(stops)}; ${failures.length} failed fetches, ${attempts} attempts`,
  );
  expect(stops).toHaveLength(3);
  for (const { sent, unanswered } of stops) {
    expect(sent).toBeLessThan(messages.length);
    expect(unanswered).toBeGreaterThan(0);
  }
  // The only failures are fetches the stop dropped.
  // (Chromium says "Failed to fetch", Firefox "NetworkError when attempting to fetch resource".)
  for (const failure of failures) {
    expect(failure).toMatch(/Failed to fetch|NetworkError|answered by the network/);
  }
  return answers;
}

test('60 concurrent adds through three worker stops: each applied exactly once', async () => {
  const actor = freshActor('stop-add');
  const messages = Array.from({ length: 60 }, (_, n) => ({
    method: 'POST',
    path: `${actorsPath()}${actor}/execute`,
    key: `add-${n}`,
    body: JSON.stringify({ type: 'add', amount: 1, ms: 3 }),
  }));
  const answers = await burstWithStops(messages);

  for (const answer of answers) {
    expect(answer.status, answer.text).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ key: answer.key, status: 'done' });
  }
  // Applied once each: the running totals the answers report are exactly 1..60.
  const totals = answers.map(
    (answer) => (JSON.parse(answer.text) as { result: { total: number } }).result.total,
  );
  expect(totals.sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  expect((await call(page, { path: `${actorsPath()}${actor}/state` })).json).toEqual({ total: 60 });

  const receipts = receiptsOf(await dumpDatabase(page), actor);
  expect(receipts.size).toBe(60);
  expect([...receipts.values()].map((receipt) => receipt.seq).sort((a, b) => a - b)).toEqual(
    Array.from({ length: 60 }, (_, i) => i + 1),
  );
  // Every answer is the one its receipt keeps.
  for (const answer of answers) expect(receipts.get(answer.key)?.answer.body).toBe(answer.text);
});

test('60 concurrent tasks through three worker stops: 60 tasks with 60 distinct keys', async () => {
  const actor = freshActor('stop-task');
  const messages = Array.from({ length: 60 }, (_, n) => ({
    method: 'PUT',
    path: `${actorsPath()}${actor}/tasks`,
    key: `task-${n}`,
    body: JSON.stringify({ n }),
  }));
  const answers = await burstWithStops(messages);

  for (const answer of answers) {
    expect(answer.status, answer.text).toBe(201);
    expect(JSON.parse(answer.text)).toMatchObject({ key: answer.key, status: 'done' });
  }
  const state = (await call(page, { path: `${actorsPath()}${actor}/state` })).json as {
    tasks: { key: string; task: { n: number } }[];
  };
  expect(state.tasks).toHaveLength(60);
  const keys = state.tasks.map((entry) => entry.key);
  expect(new Set(keys).size).toBe(60);
  expect([...keys].sort()).toEqual(messages.map((message) => message.key).sort());
  for (const entry of state.tasks) expect(entry.key).toBe(`task-${entry.task.n}`);
  expect(receiptsOf(await dumpDatabase(page), actor).size).toBe(60);
});
