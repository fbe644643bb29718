import { describe, expect, it } from 'vitest';
import { checkActorId } from '../../../src/client/actorId.ts';
import { keyHeader } from '../../../src/client/keyHeader.ts';

describe('keyHeader', () => {
  it('writes an RFC 8941 sf-string, escaping quote and backslash', () => {
    expect(keyHeader('abc-123')).toBe('"abc-123"');
    expect(keyHeader('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(keyHeader('x'.repeat(255))).toBe(`"${'x'.repeat(255)}"`);
  });

  it.each(['', ' ', 'a b', 'é', '.', '..', 'x'.repeat(256), 42])(
    'refuses %j like the worker would, naming the option',
    (key) => {
      expect(() => keyHeader(key)).toThrow(TypeError);
      expect(() => keyHeader(key)).toThrow(/options\.key/);
    },
  );
});

describe('checkActorId', () => {
  it('accepts what the worker accepts', () => {
    for (const id of ['a', 'ada', 'A1._~-', '0', 'x'.repeat(128)])
      expect(checkActorId(id)).toBe(id);
  });

  it.each(['', '.hidden', '..', '-a', 'a/b', 'a%2Fb', 'a b', 'x'.repeat(129), null])(
    'refuses %j',
    (id) => {
      expect(() => checkActorId(id)).toThrow(TypeError);
      expect(() => checkActorId(id)).toThrow(/actor id/);
    },
  );
});
