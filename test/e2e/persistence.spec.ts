import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { expect, test } from './support/fixtures.ts';
import {
  actorsPath,
  call,
  freshActor,
  openApp,
  runsOf,
  type Answer,
  type Call,
} from './support/app.ts';
import { appUrl } from './support/browser.ts';
import { dumpDatabase, receiptsOf } from './support/database.ts';
import { skipWithout, type EngineName } from './support/engines.ts';
import { launchPersistent } from './support/launchEngine.ts';

// DESIGN.md §3: receipts and states live in IndexedDB, so they outlive the browser.
let profile: string;
test.beforeAll(async () => {
  profile = await mkdtemp(join(tmpdir(), 'actordav-profile-'));
});
test.afterAll(async () => {
  await rm(profile, { recursive: true, force: true });
});

async function launch(engine: EngineName): Promise<{ context: BrowserContext; page: Page }> {
  const context = await launchPersistent(engine, profile, { baseURL: appUrl });
  const page = context.pages()[0] ?? (await context.newPage());
  await openApp(page);
  return { context, page };
}

test('receipts and state survive a browser restart with the same profile', async ({
  browserName,
}) => {
  skipWithout(browserName, 'persistentProfile');
  const actor = freshActor('persist');
  const base = `${actorsPath()}${actor}`;
  const requests: Call[] = [
    { method: 'PUT', path: `${base}/tasks`, key: 'task-1', body: { drink: 'cortado' } },
    { method: 'POST', path: `${base}/execute`, key: 'add-1', body: { type: 'add', amount: 4 } },
    { method: 'POST', path: `${base}/execute`, key: 'fail-1', body: { type: 'fail' } },
  ];

  const before = await launch(browserName);
  const answers: Answer[] = [];
  for (const request of requests) answers.push(await call(before.page, request));
  expect(answers.map((answer) => answer.status)).toEqual([201, 200, 409]);
  const state = await call(before.page, { path: `${base}/state` });
  const receipts = receiptsOf(await dumpDatabase(before.page), actor);
  expect(receipts.size).toBe(3);
  await before.context.close();

  const after = await launch(browserName);
  try {
    for (const [index, request] of requests.entries()) {
      const replay = await call(after.page, request);
      expect(replay.status).toBe(answers[index]?.status);
      expect(replay.text).toBe(answers[index]?.text);
      expect(replay.headers['idempotent-replayed']).toBe('true');
    }
    // The relaunched worker answered from IndexedDB without running anything.
    const runs = await runsOf(after.page);
    expect(runs[`${actor}/add`]).toBeUndefined();
    expect(runs[`${actor}/fail`]).toBeUndefined();

    const restored = await call(after.page, { path: `${base}/state` });
    expect(restored.text).toBe(state.text);
    expect(restored.headers['etag']).toBe(state.headers['etag']);
    expect(receiptsOf(await dumpDatabase(after.page), actor)).toEqual(receipts);

    // The actor carries on from where it was: the next message gets the next seq.
    const next = await call(after.page, {
      method: 'POST',
      path: `${base}/execute`,
      key: 'add-2',
      body: { type: 'add', amount: 1 },
    });
    expect(next.json).toMatchObject({ result: { total: 5 } });
    const receipt = await call(after.page, { path: `${base}/tasks/add-2` });
    expect(receipt.json).toMatchObject({ seq: 4 });
  } finally {
    await after.context.close();
  }
});
