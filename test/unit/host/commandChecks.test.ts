import '../setup.ts';
import { describe, expect, it } from 'vitest';
import type { Commands } from '../../../src/actor/command.ts';
import type { JsonObject } from '../../../src/actor/message.ts';
import { dumpStores } from '../support/database.ts';
import { testHost } from '../support/host.ts';
import { json } from '../support/requests.ts';

// Commands with a programming mistake: what they return is not `{ state, result }`.
const broken: Commands = {
  forgot: () => undefined as never,
  numberState: () => ({ state: 42 as never, result: null }),
  arrayState: () => ({ state: [] as never }),
  bigResult: (state: JsonObject) => ({ state, result: { n: 1n } }),
  ok: (state: { n?: number }) => ({ state: { n: (state.n ?? 0) + 1 }, result: state.n ?? 0 }),
};

describe('a command that returns something other than { state, result }', () => {
  it.each(['forgot', 'numberState', 'arrayState', 'bigResult'])(
    '%s: 500 command-invalid naming the command, nothing stored, the key stays free',
    async (type) => {
      const { send, dbName } = testHost({ commands: broken });
      const answer = await send('POST', '/actors/a/execute', { key: 'k', body: { type } });
      expect(answer.status).toBe(500);
      expect(answer.headers.has('idempotent-replayed')).toBe(false);
      const problem = (await json(answer)) as { code: string; detail: string };
      expect(problem.code).toBe('command-invalid');
      expect(problem.detail).toContain(`"${type}"`);
      const { receipts, actors } = await dumpStores(dbName);
      expect(receipts).toEqual([]);
      expect(actors.every((actor) => actor.seq === 0 || actor.seq === undefined)).toBe(true);
      // The same key, once the command is fixed (here: another request), runs: nothing held it.
      const fixed = await send('POST', '/actors/a/execute', { key: 'k', body: { type: 'ok' } });
      expect(fixed.status).toBe(200);
    },
  );

  it('is not stored with a remote either: no receipt, no outbox row, nothing to sync', async () => {
    const { send, dbName } = testHost({
      commands: broken,
      remote: { url: 'http://127.0.0.1:1/dav/' },
      confirmTimeoutMs: 0,
    });
    const answer = await send('POST', '/actors/a/execute', { key: 'k', body: { type: 'forgot' } });
    expect(answer.status).toBe(500);
    expect(await json(answer)).toMatchObject({ code: 'command-invalid' });
    const { receipts, outbox } = await dumpStores(dbName);
    expect(receipts).toEqual([]);
    expect(outbox).toEqual([]);
  });

  it('leaves the messages around it in the same turn alone', async () => {
    const { send, dbName } = testHost({ commands: broken });
    const answers = await Promise.all([
      send('POST', '/actors/a/execute', { key: 'k1', body: { type: 'ok' } }),
      send('POST', '/actors/a/execute', { key: 'k2', body: { type: 'forgot' } }),
      send('POST', '/actors/a/execute', { key: 'k3', body: { type: 'ok' } }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 500, 200]);
    const { receipts, actors } = await dumpStores(dbName);
    expect(receipts.map((receipt) => [receipt.key, receipt.seq])).toEqual([
      ['k1', 1],
      ['k3', 2],
    ]);
    expect(actors[0]?.state).toEqual({ n: 2 });
  });
});

describe('checkDeterminism', () => {
  const clocky: Commands = {
    stamp: (state: JsonObject) => ({
      state,
      result: { at: performance.now() + Math.random() },
    }),
    steady: (state: { n?: number }, _payload, { at }) => ({
      state: { n: (state.n ?? 0) + 1 },
      result: { at },
    }),
  };

  it('runs each command twice and answers a difference 500 command-nondeterministic, storing nothing', async () => {
    const { send, dbName } = testHost({ commands: clocky, checkDeterminism: true });
    const answer = await send('POST', '/actors/a/execute', { key: 'k', body: { type: 'stamp' } });
    expect(answer.status).toBe(500);
    const problem = (await json(answer)) as { code: string; detail: string };
    expect(problem.code).toBe('command-nondeterministic');
    expect(problem.detail).toContain('"stamp"');
    expect((await dumpStores(dbName)).receipts).toEqual([]);
    const steady = await send('POST', '/actors/a/execute', { key: 'k', body: { type: 'steady' } });
    expect(steady.status).toBe(200);
    expect((await dumpStores(dbName)).actors[0]?.state).toEqual({ n: 1 });
  });

  it('is off by default: the command runs once', async () => {
    const { send } = testHost({ commands: clocky });
    const answer = await send('POST', '/actors/a/execute', { key: 'k', body: { type: 'stamp' } });
    expect(answer.status).toBe(200);
  });
});
