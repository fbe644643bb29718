import '../setup.ts';
import { describe, expectTypeOf, it } from 'vitest';
import {
  createActorClient,
  isActorHttpError,
  registerActors,
  type ActorEvent,
  type ActorHandle,
  type ActorResult,
  type ActorStatus,
} from '../../../src/client.ts';
import {
  createActorHost,
  isActorError,
  isSyncError,
  type ActorHost,
  type ActorHostOptions,
  type Command,
  type ProblemCode,
} from '../../../src/sw.ts';

// Checked by `tsc -p tsconfig.json` (npm run typecheck): the public types users write against.
describe('public types', () => {
  it('types the worker entry', () => {
    expectTypeOf(createActorHost).parameter(0).toEqualTypeOf<ActorHostOptions | undefined>();
    expectTypeOf(createActorHost).returns.toEqualTypeOf<ActorHost>();
    expectTypeOf<ActorHost['handle']>().returns.toEqualTypeOf<Promise<Response>>();
    expectTypeOf<ActorHostOptions['onDuplicateInFlight']>().toEqualTypeOf<
      'wait' | 'reject' | undefined
    >();
    const add: Command<{ total?: number }, { amount: number }> = (state, { amount }) => ({
      state: { total: (state.total ?? 0) + amount },
      result: { total: (state.total ?? 0) + amount },
    });
    expectTypeOf(add).returns.toMatchTypeOf<{ state: { total?: number } } | Promise<unknown>>();
    expectTypeOf<'key-reused'>().toMatchTypeOf<ProblemCode>();
    expectTypeOf<'no-such-code'>().not.toMatchTypeOf<ProblemCode>();
    expectTypeOf(isActorError).guards.toHaveProperty('code');
    expectTypeOf(isSyncError).guards.toHaveProperty('retryable');
  });

  it('types the page entry', () => {
    expectTypeOf(registerActors).returns.resolves.toHaveProperty('persisted');
    expectTypeOf<Awaited<ReturnType<typeof registerActors>>['persisted']>().resolves.toEqualTypeOf<
      boolean | 'unsupported' | 'skipped'
    >();
    const client = createActorClient({ storage: null });
    expectTypeOf(client.actor('ada')).toEqualTypeOf<ActorHandle>();
    expectTypeOf<ActorHandle['send']>().returns.resolves.toEqualTypeOf<ActorResult>();
    expectTypeOf<ReturnType<ActorHandle['execute']>>().resolves.toHaveProperty('receiptUrl');
    expectTypeOf<ActorResult['status']>().toEqualTypeOf<'done' | 'pending'>();
    expectTypeOf<ActorHandle['status']>().returns.resolves.toEqualTypeOf<ActorStatus>();
    expectTypeOf<ActorHandle['state']>().returns.resolves.toHaveProperty('etag');
    expectTypeOf<Parameters<typeof client.subscribe>[0]>().parameter(0).toEqualTypeOf<ActorEvent>();
    expectTypeOf<Extract<ActorEvent, { type: 'sync' }>['phase']>().toEqualTypeOf<
      'started' | 'synced' | 'failed'
    >();
    expectTypeOf(isActorHttpError).guards.toHaveProperty('code');
    client.close();
  });
});
