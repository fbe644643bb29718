import { describe, expect, it } from 'vitest';
import {
  ActorClientError,
  isActorClientError,
} from '../../../src/client/errors/ActorClientError.ts';
import { ActorHttpError, isActorHttpError } from '../../../src/client/errors/ActorHttpError.ts';
import { isNoWorkerError, NoWorkerError } from '../../../src/client/errors/NoWorkerError.ts';
import {
  isRetriesExhaustedError,
  RetriesExhaustedError,
} from '../../../src/client/errors/RetriesExhaustedError.ts';

const problemAnswer = {
  status: 422,
  headers: { 'content-type': 'application/problem+json' },
  body: {
    title: 'Idempotency-Key reused',
    status: 422,
    detail: 'the body differs',
    code: 'key-reused',
  },
};

describe('client errors', () => {
  it('ActorHttpError carries the problem: code, status, detail, the whole body, actor and key', () => {
    const error = new ActorHttpError(problemAnswer, { actorId: 'ada', key: 'k1' });
    expect(error).toBeInstanceOf(ActorClientError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ActorHttpError');
    expect([error.code, error.status, error.detail]).toEqual([
      'key-reused',
      422,
      'the body differs',
    ]);
    expect(error.problem).toEqual(problemAnswer.body);
    expect([error.actorId, error.key]).toEqual(['ada', 'k1']);
    expect(error.message).toBe('422 key-reused: the body differs');
  });

  it('ActorHttpError of an answer that is not problem+json has code http-{status}', () => {
    const error = new ActorHttpError({
      status: 404,
      headers: { 'content-type': 'text/plain' },
      body: 'Not found',
    });
    expect([error.code, error.detail, error.problem]).toEqual(['http-404', 'HTTP 404', undefined]);
  });

  it('RetriesExhaustedError keeps the last failure as cause', () => {
    const cause = new TypeError('Failed to fetch');
    const error = new RetriesExhaustedError(8, 29_000, { cause, actorId: 'ada', key: 'k' });
    expect([error.name, error.code, error.attempts, error.elapsedMs]).toEqual([
      'RetriesExhaustedError',
      'retries-exhausted',
      8,
      29_000,
    ]);
    expect(error.cause).toBe(cause);
    expect(error.message).toContain('Failed to fetch');
  });

  it('NoWorkerError has a stable code', () => {
    const error = new NoWorkerError({ actorId: 'ada' });
    expect([error.name, error.code, error.actorId]).toEqual(['NoWorkerError', 'no-worker', 'ada']);
  });

  it('guards check the name, so copies that lost their prototype still count', () => {
    const copies = [
      { name: 'ActorHttpError', code: 'key-reused', status: 422 },
      { name: 'RetriesExhaustedError', code: 'retries-exhausted' },
      { name: 'NoWorkerError', code: 'no-worker' },
    ];
    expect(copies.map(isActorClientError)).toEqual([true, true, true]);
    expect(copies.map(isActorHttpError)).toEqual([true, false, false]);
    expect(copies.map(isRetriesExhaustedError)).toEqual([false, true, false]);
    expect(copies.map(isNoWorkerError)).toEqual([false, false, true]);
    expect(
      [new Error('x'), null, 'ActorHttpError', { name: 'ActorError', code: 'x' }].some(
        isActorClientError,
      ),
    ).toBe(false);
  });
});
