import { afterEach, describe, expect, it } from 'vitest';
import { createActorClient } from '../../../src/client.ts';
import { json, scriptedFetch } from './support.ts';

const clients: { close(): void }[] = [];
afterEach(() => {
  while (clients.length > 0) clients.pop()?.close();
});

const actor = (fetch: typeof globalThis.fetch) => {
  const client = createActorClient({
    fetch,
    storage: null,
    requireController: false,
    syncOnOnline: false,
  });
  clients.push(client);
  return client.actor('ada');
};

// `result` is the body's result, one level up: the answer itself stays as the worker sent it.
describe('the result shortcut', () => {
  it('a final answer carries the command result', async () => {
    const { fetch } = scriptedFetch(json(200, { key: 'k', status: 'done', result: { n: 1 } }));
    const done = await actor(fetch).execute('count', {});
    expect(done).toMatchObject({ status: 'done', result: { n: 1 } });
    expect(done.answer.body.result).toEqual({ n: 1 });
    expect('problem' in done).toBe(false);
  });

  it('a 202 carries the local result', async () => {
    const { fetch } = scriptedFetch(json(202, { key: 'k', status: 'pending', result: [2] }));
    expect(await actor(fetch).execute('count')).toMatchObject({ status: 'pending', result: [2] });
  });

  it('a 202 whose command threw locally carries null and the problem', async () => {
    const problem = { code: 'command-rejected', status: 409, detail: 'no' };
    const { fetch } = scriptedFetch(
      json(202, { key: 'k', status: 'pending', result: null, problem }),
    );
    const pending = await actor(fetch).execute('count');
    expect(pending).toMatchObject({ status: 'pending', result: null, problem });
  });

  it('an answer without a result reads as null', async () => {
    const { fetch } = scriptedFetch(json(200, { key: 'k', status: 'done' }));
    expect((await actor(fetch).execute('count')).result).toBeNull();
  });
});
