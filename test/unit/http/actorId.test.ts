import { describe, expect, it } from 'vitest';
import { parseActorId } from '../../../src/http/actorId.ts';
import { isActorError } from '../../../src/errors/ActorError.ts';
import { expectCode, thrownBy } from '../support/errors.ts';

describe('parseActorId', () => {
  it.each([
    'a',
    'Z',
    '0',
    'user_123',
    'a~b.c-d_e',
    'a..b',
    '9-lives',
    'a'.repeat(128),
    `x${'~._-'.repeat(31)}abc`,
  ])('accepts %j', (id) => {
    expect(parseActorId(id)).toBe(id);
  });

  it.each([
    ['empty', ''],
    ['dot dot', '..'],
    ['a single dot', '.'],
    ['a leading dot', '.a'],
    ['a leading dash', '-a'],
    ['a leading underscore', '_a'],
    ['a leading tilde', '~a'],
    ['an escaped slash', '%2F'],
    ['an escape inside', 'a%2Fb'],
    ['an escaped dot', '%2E%2E'],
    ['129 characters', 'a'.repeat(129)],
    ['non-ASCII', 'café'],
    ['a space', 'a b'],
    ['a slash', 'a/b'],
    ['a trailing newline', 'a\n'],
    ['a colon', 'a:b'],
  ])('refuses %s', (_label, id) => {
    expectCode(() => parseActorId(id), 'invalid-actor-id');
  });

  it('answers 400 and names the id, cut to 200 characters', () => {
    const error = thrownBy(() => parseActorId('x'.repeat(500) + '/'));
    expect(isActorError(error)).toBe(true);
    if (!isActorError(error)) return;
    expect(error.status).toBe(400);
    expect(error.extensions['actorId']).toBe('x'.repeat(200));
  });
});
