import { expect, test } from './support/fixtures.ts';
import { call, freshActor, openApp } from './support/app.ts';

test('a task is accepted once and replayed byte for byte', async ({ page }) => {
  await openApp(page);
  const actor = freshActor('smoke');
  const first = await call(page, {
    method: 'PUT',
    path: `/actors/${actor}/tasks`,
    key: 'k1',
    body: { drink: 'latte' },
  });
  expect(first.status).toBe(201);
  const again = await call(page, {
    method: 'PUT',
    path: `/actors/${actor}/tasks`,
    key: 'k1',
    body: { drink: 'latte' },
  });
  expect(again.status).toBe(201);
  expect(again.text).toBe(first.text);
  expect(again.headers['idempotent-replayed']).toBe('true');
  const state = await call(page, { path: `/actors/${actor}/state` });
  expect((state.json as { tasks: unknown[] }).tasks).toHaveLength(1);
});
