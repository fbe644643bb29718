import { describe, expect, it } from 'vitest';
import {
  applyMessage,
  type Applied,
  type VersionedState,
} from '../../../src/actor/applyMessage.ts';
import { canonicalJson } from '../../../src/actor/canonicalJson.ts';
import type { CommandContext, Commands } from '../../../src/actor/command.ts';
import type { JsonObject, Message } from '../../../src/actor/message.ts';
import { stateEtag } from '../../../src/actor/stateEtag.ts';

const context: CommandContext = {
  actorId: 'a',
  key: 'k1',
  at: 1_700_000_000_000,
  deviceId: 'd1',
  seq: 7,
};

async function versioned(state: JsonObject): Promise<VersionedState> {
  return { state, etag: await stateEtag(canonicalJson(state)) };
}

function apply(
  current: VersionedState,
  message: Message,
  commands: Commands = {},
  turnTimeoutMs = 1000,
): Promise<Applied> {
  return applyMessage(commands, current, message, context, turnTimeoutMs);
}

function errorOf(applied: Applied) {
  expect(applied.ok).toBe(false);
  return applied.ok ? undefined : applied.error;
}

function nextOf(applied: Applied) {
  if (!applied.ok)
    throw new Error(`expected ok, got ${applied.error.code}: ${applied.error.message}`);
  return applied;
}

describe('applyMessage: built-in task append', () => {
  it('appends {key, task, at} to state.tasks and answers the entry', async () => {
    const applied = nextOf(
      await apply(await versioned({}), { type: '@task', payload: { title: 'milk' } }),
    );
    const entry = { key: 'k1', task: { title: 'milk' }, at: context.at };
    expect(applied.next.state).toEqual({ tasks: [entry] });
    expect(applied.result).toEqual(entry);
    expect(applied.next.etag).toBe(await stateEtag(canonicalJson({ tasks: [entry] })));
  });

  it('keeps the rest of the state and earlier tasks, in order', async () => {
    const earlier = { key: 'k0', task: { n: 0 }, at: 1 };
    const current = await versioned({ owner: 'me', tasks: [earlier] });
    const applied = nextOf(await apply(current, { type: '@task', payload: { n: 1 } }));
    expect(applied.next.state).toEqual({
      owner: 'me',
      tasks: [earlier, { key: 'k1', task: { n: 1 }, at: context.at }],
    });
    expect(current.state['tasks']).toEqual([earlier]);
  });

  it('rejects the message when state.tasks is not an array', async () => {
    const error = errorOf(
      await apply(await versioned({ tasks: 'nope' }), { type: '@task', payload: {} }),
    );
    expect(error?.code).toBe('command-rejected');
  });
});

describe('applyMessage: built-in state replace and If-Match', () => {
  it('replaces the state and answers null', async () => {
    const applied = nextOf(
      await apply(await versioned({ old: true }), { type: '@state', payload: { b: 2, a: 1 } }),
    );
    expect(applied.next.state).toEqual({ a: 1, b: 2 });
    expect(Object.keys(applied.next.state)).toEqual(['a', 'b']);
    expect(applied.result).toBeNull();
    expect(applied.next.etag).toBe(await stateEtag('{"a":1,"b":2}'));
  });

  it('replaces when If-Match names the current ETag, also inside a list', async () => {
    const current = await versioned({ v: 1 });
    const exact = await apply(current, {
      type: '@state',
      payload: { v: 2 },
      ifMatch: current.etag,
    });
    expect(nextOf(exact).next.state).toEqual({ v: 2 });
    const listed = await apply(current, {
      type: '@state',
      payload: { v: 3 },
      ifMatch: `"other", ${current.etag}`,
    });
    expect(nextOf(listed).next.state).toEqual({ v: 3 });
  });

  it('fails with precondition-failed (412) naming the current ETag when If-Match differs', async () => {
    const current = await versioned({ v: 1 });
    for (const ifMatch of ['"stale"', `W/${current.etag}`, '', current.etag.slice(1, -1)]) {
      const error = errorOf(await apply(current, { type: '@state', payload: { v: 2 }, ifMatch }));
      expect(error?.code).toBe('precondition-failed');
      expect(error?.status).toBe(412);
      expect(error?.extensions).toEqual({ etag: current.etag });
    }
  });

  it('takes If-Match: * for any state, also the empty one of an actor never written', async () => {
    const message: Message = { type: '@state', payload: { v: 1 }, ifMatch: '*' };
    expect(nextOf(await apply(await versioned({ v: 0 }), message)).next.state).toEqual({ v: 1 });
    expect(nextOf(await apply(await versioned({}), message)).next.state).toEqual({ v: 1 });
  });

  it('checks If-Match before it runs a user command', async () => {
    let calls = 0;
    const commands: Commands = { touch: (state: JsonObject) => (calls++, { state }) };
    const error = errorOf(
      await apply(await versioned({}), { type: 'touch', payload: {}, ifMatch: '"nope"' }, commands),
    );
    expect(error?.code).toBe('precondition-failed');
    expect(calls).toBe(0);
  });
});

describe('applyMessage: user commands', () => {
  const commands: Commands = {
    add: (state: { total?: number }, { amount }: { amount: number }) => ({
      state: { ...state, total: (state.total ?? 0) + amount },
      result: { added: amount, total: (state.total ?? 0) + amount },
    }),
  };

  it('runs the command and answers its result', async () => {
    const applied = nextOf(
      await apply(
        await versioned({ total: 1 }),
        { type: 'add', payload: { type: 'add', amount: 2 } },
        commands,
      ),
    );
    expect(applied.next.state).toEqual({ total: 3 });
    expect(applied.result).toEqual({ added: 2, total: 3 });
  });

  it('gives the command the message context', async () => {
    const seen: CommandContext[] = [];
    const spy: Commands = {
      look: (state: JsonObject, _payload: JsonObject, ctx: CommandContext) => (
        seen.push(ctx),
        { state }
      ),
    };
    nextOf(await apply(await versioned({}), { type: 'look', payload: {} }, spy));
    expect(seen).toEqual([context]);
  });

  it('answers null when the command has no result, and canonical JSON otherwise', async () => {
    const quiet: Commands = {
      none: (state: JsonObject) => ({ state }),
      sorted: () => ({ state: { z: 1, a: 2 }, result: { y: [{ b: 1, a: 2 }], x: 0 } }),
    };
    expect(
      nextOf(await apply(await versioned({}), { type: 'none', payload: {} }, quiet)).result,
    ).toBeNull();
    const sorted = nextOf(await apply(await versioned({}), { type: 'sorted', payload: {} }, quiet));
    expect(JSON.stringify(sorted.result)).toBe('{"x":0,"y":[{"a":2,"b":1}]}');
    expect(JSON.stringify(sorted.next.state)).toBe('{"a":2,"z":1}');
  });

  it('runs an async command', async () => {
    const later: Commands = {
      later: async (state: JsonObject) => ({
        state: { ...state, done: await Promise.resolve(true) },
      }),
    };
    expect(
      nextOf(await apply(await versioned({}), { type: 'later', payload: {} }, later)).next.state,
    ).toEqual({ done: true });
  });

  it('turns a throw into command-rejected (409) with the thrown message', async () => {
    const failing: Commands = {
      sync: () => {
        throw new Error('not enough stock');
      },
      async: () => Promise.reject(new RangeError('too many')),
      text: () => {
        // A command may throw anything; a string is the common non-Error case.
        // eslint-disable-next-line @typescript-eslint/only-throw-error
        throw 'plain text';
      },
    };
    const current = await versioned({});
    const sync = errorOf(await apply(current, { type: 'sync', payload: {} }, failing));
    expect([sync?.code, sync?.status, sync?.message]).toEqual([
      'command-rejected',
      409,
      'not enough stock',
    ]);
    expect(sync?.cause).toBeInstanceOf(Error);
    expect(errorOf(await apply(current, { type: 'async', payload: {} }, failing))?.message).toBe(
      'too many',
    );
    expect(errorOf(await apply(current, { type: 'text', payload: {} }, failing))?.message).toBe(
      'plain text',
    );
  });

  it('leaves the caller state unchanged when a command mutates its input and then throws', async () => {
    const current = await versioned({ items: [1], nested: { count: 1 } });
    const before = structuredClone(current);
    const vandal: Commands = {
      vandal: (state: { items: number[]; nested: { count: number }; extra?: boolean }) => {
        state.items.push(2);
        state.nested.count = 99;
        state.extra = true;
        throw new Error('changed my mind');
      },
    };
    expect(errorOf(await apply(current, { type: 'vandal', payload: {} }, vandal))?.code).toBe(
      'command-rejected',
    );
    expect(current).toEqual(before);
  });

  it('leaves the caller state unchanged when a command mutates its input and returns it', async () => {
    const current = await versioned({ items: [1] });
    const mutating: Commands = {
      push: (state: { items: number[] }) => {
        state.items.push(2);
        return { state };
      },
    };
    const applied = nextOf(await apply(current, { type: 'push', payload: {} }, mutating));
    expect(applied.next.state).toEqual({ items: [1, 2] });
    expect(current.state).toEqual({ items: [1] });
  });

  it.each<[string, unknown]>([
    ['an array', []],
    ['null', null],
    ['a string', 'state'],
    ['a number', 1],
    ['undefined', undefined],
  ])(
    'answers command-invalid (500, naming it) to a command that returns %s as its state',
    async (_label, state) => {
      const odd: Commands = { odd: () => ({ state: state as JsonObject }) };
      const error = errorOf(await apply(await versioned({}), { type: 'odd', payload: {} }, odd));
      expect([error?.code, error?.status]).toEqual(['command-invalid', 500]);
      expect(error?.message).toContain('"odd"');
    },
  );

  it('answers command-invalid to a command that returns nothing, not a rejection', async () => {
    const odd: Commands = { forgot: () => undefined as never };
    const error = errorOf(await apply(await versioned({}), { type: 'forgot', payload: {} }, odd));
    expect(error?.code).toBe('command-invalid');
    expect(error?.message).toMatch(/Command "forgot" returned undefined/);
  });

  it('answers command-invalid to a command whose state or result has no JSON form', async () => {
    const odd: Commands = {
      bigState: () => ({ state: { n: 1n } }),
      bigResult: (state: JsonObject) => ({ state, result: { n: 1n } }),
    };
    expect(
      errorOf(await apply(await versioned({}), { type: 'bigState', payload: {} }, odd))?.code,
    ).toBe('command-invalid');
    expect(
      errorOf(await apply(await versioned({}), { type: 'bigResult', payload: {} }, odd))?.code,
    ).toBe('command-invalid');
  });

  it('with checkDeterminism, runs a command twice and answers a difference command-nondeterministic', async () => {
    let calls = 0;
    const commands: Commands = {
      counter: (state: JsonObject) => ({ state, result: ++calls }),
      fixed: (state: JsonObject, _payload, { at }) => ({ state: { ...state, at }, result: at }),
      flaky: () => {
        if (++calls % 2 === 0) throw new Error('sometimes');
        return { state: {} };
      },
    };
    const run = (type: string, check: boolean) =>
      applyMessage(commands, current, { type, payload: {} }, context, 1000, check);
    const current = await versioned({});
    const error = errorOf(await run('counter', true));
    expect([error?.code, error?.status]).toEqual(['command-nondeterministic', 500]);
    expect(error?.message).toContain('"counter"');
    expect(errorOf(await run('flaky', true))?.code).toBe('command-nondeterministic');
    expect(nextOf(await run('fixed', true)).result).toBe(context.at);
    calls = 0;
    expect(nextOf(await run('counter', false)).result).toBe(1);
    expect(calls).toBe(1);
  });

  it('fails a command that runs past the turn timeout with turn-timeout', async () => {
    const stuck: Commands = { stuck: () => new Promise<never>(() => {}) };
    const error = errorOf(
      await apply(await versioned({}), { type: 'stuck', payload: {} }, stuck, 20),
    );
    expect([error?.code, error?.status]).toEqual(['turn-timeout', 500]);
  });

  it.each(['nope', 'constructor', 'toString', '__proto__', 'hasOwnProperty'])(
    'answers unknown-command (404) for %j',
    async (type) => {
      const error = errorOf(await apply(await versioned({}), { type, payload: {} }, commands));
      expect([error?.code, error?.status]).toEqual(['unknown-command', 404]);
    },
  );
});
