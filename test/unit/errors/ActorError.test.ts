import { describe, expect, it } from 'vitest';
import { ActorError, isActorError } from '../../../src/errors/ActorError.ts';

describe('ActorError', () => {
  it('takes its status and default detail from the code, and keeps cause, extensions and headers', () => {
    const cause = new Error('inner');
    const error = new ActorError('too-many-pending', undefined, {
      cause,
      extensions: { queued: 3 },
      headers: { 'retry-after': '5' },
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ActorError');
    expect([error.code, error.status]).toEqual(['too-many-pending', 503]);
    expect(error.message).toBe('Too many pending messages for this actor');
    expect(error.cause).toBe(cause);
    expect(error.extensions).toEqual({ queued: 3 });
    expect(error.headers).toEqual({ 'retry-after': '5' });
  });

  it('uses a given detail as its message, with empty extensions and headers by default', () => {
    const error = new ActorError('key-reused', 'the body differs');
    expect(error.message).toBe('the body differs');
    expect(error.extensions).toEqual({});
    expect(error.headers).toEqual({});
  });
});

describe('isActorError', () => {
  it('recognises an ActorError and a copy of one by name and code', () => {
    expect(isActorError(new ActorError('internal-error'))).toBe(true);
    expect(isActorError({ ...new ActorError('key-reused') })).toBe(true);
  });

  it('refuses anything else', () => {
    for (const value of [
      new Error('x'),
      { name: 'ActorError' },
      { name: 'ActorError', code: 42 },
      { code: 'key-reused' },
      'ActorError',
      null,
      undefined,
    ]) {
      expect(isActorError(value)).toBe(false);
    }
  });
});
