import { afterEach, describe, expect, it, vi } from 'vitest';
import { ActorError } from '../../../src/errors/ActorError.ts';
import { problemCodes, type ProblemCode } from '../../../src/errors/problemCodes.ts';
import { problemAnswer } from '../../../src/http/problemAnswer.ts';

const body = (answer: { body: string }) => JSON.parse(answer.body) as Record<string, unknown>;

describe('problemAnswer', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('turns an ActorError into RFC 9457 problem+json with its code, extensions and headers', () => {
    const error = new ActorError('precondition-failed', 'If-Match does not match', {
      extensions: { etag: '"abc"' },
      headers: { 'x-extra': 'yes' },
    });
    const answer = problemAnswer(error, '/actors/a/state');
    expect(answer.status).toBe(412);
    expect(answer.headers).toEqual([
      ['content-type', 'application/problem+json'],
      ['x-extra', 'yes'],
    ]);
    expect(body(answer)).toEqual({
      type: 'urn:actordav:problem:precondition-failed',
      title: 'If-Match does not match the current state',
      status: 412,
      detail: 'If-Match does not match',
      code: 'precondition-failed',
      instance: '/actors/a/state',
      etag: '"abc"',
    });
  });

  it('leaves instance out when none is given and uses the title as detail by default', () => {
    const problem = body(problemAnswer(new ActorError('key-reused')));
    expect(problem).toEqual({
      type: 'urn:actordav:problem:key-reused',
      title: 'Idempotency-Key reused for a different request',
      status: 422,
      detail: 'Idempotency-Key reused for a different request',
      code: 'key-reused',
    });
  });

  it('carries Allow on a 405 and Retry-After on a 503', () => {
    const notAllowed = problemAnswer(
      new ActorError('method-not-allowed', undefined, { headers: { allow: 'GET, HEAD' } }),
    );
    expect(notAllowed.headers).toContainEqual(['allow', 'GET, HEAD']);
    const busy = problemAnswer(
      new ActorError('too-many-pending', undefined, { headers: { 'retry-after': '5' } }),
    );
    expect(busy.status).toBe(503);
    expect(busy.headers).toContainEqual(['retry-after', '5']);
  });

  it.each(Object.keys(problemCodes) as ProblemCode[])('maps %s to its status', (code) => {
    const answer = problemAnswer(new ActorError(code));
    expect(answer.status).toBe(problemCodes[code][0]);
    expect(body(answer)['code']).toBe(code);
  });

  it('turns anything else into internal-error without showing its message', () => {
    for (const thrown of [
      new TypeError('secret at /home/me/db'),
      'secret at /home/me/db',
      { message: 'secret at /home/me/db' },
      null,
    ]) {
      const answer = problemAnswer(thrown, '/actors/a/tasks');
      expect(answer.status).toBe(500);
      expect(answer.body).not.toContain('secret');
      expect(body(answer)).toEqual({
        type: 'urn:actordav:problem:internal-error',
        title: 'Internal error',
        status: 500,
        detail: 'Internal error',
        code: 'internal-error',
        instance: '/actors/a/tasks',
      });
    }
  });

  it('recognises an ActorError by name, as one that crossed postMessage', () => {
    const copy = { ...new ActorError('key-in-flight'), message: 'copied' };
    const answer = problemAnswer(copy);
    expect(answer.status).toBe(409);
    expect(body(answer)).toMatchObject({ code: 'key-in-flight', detail: 'copied' });
  });

  it('answers internal-error for an ActorError-named value with a code it does not know', () => {
    const foreign = { name: 'ActorError', code: 'from-a-newer-version', message: 'secret' };
    const answer = problemAnswer(foreign);
    expect(answer.status).toBe(500);
    expect(body(answer)['code']).toBe('internal-error');
  });

  it('logs an internal error with its cause, which the answer hides', () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const cause = new TypeError("Cannot read properties of undefined (reading 'getReader')");
    problemAnswer(cause, '/actors/a/tasks');
    expect(logged).toHaveBeenCalledWith('actordav: internal error', cause);
    const wrapped = new ActorError('internal-error', 'The message could not be stored', { cause });
    problemAnswer(wrapped);
    expect(logged).toHaveBeenLastCalledWith('actordav: internal error', cause);
  });

  it('logs nothing for an expected problem', () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    problemAnswer(new ActorError('key-reused'));
    problemAnswer(new ActorError('command-rejected'));
    expect(logged).not.toHaveBeenCalled();
  });
});
