import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/actor/canonicalJson.ts';

describe('canonicalJson', () => {
  it('sorts keys, so key order does not matter', () => {
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(canonicalJson({ a: 2, b: 1 })).toBe(canonicalJson({ b: 1, a: 2 }));
  });

  it('sorts nested objects, also inside arrays', () => {
    const value = { z: { y: 1, x: { q: true, p: null } }, a: [{ d: 1, c: 2 }, 's'] };
    expect(canonicalJson(value)).toBe(
      '{"a":[{"c":2,"d":1},"s"],"z":{"x":{"p":null,"q":true},"y":1}}',
    );
  });

  it('keeps the order of arrays', () => {
    expect(canonicalJson([3, 1, 2])).toBe('[3,1,2]');
    expect(canonicalJson({ list: ['b', 'a'] })).toBe('{"list":["b","a"]}');
  });

  it('sorts by UTF-16 code units, not by locale', () => {
    expect(canonicalJson({ é: 1, z: 2, A: 3, a: 4 })).toBe('{"A":3,"a":4,"z":2,"é":1}');
  });

  it('gives equal text for equal content whatever the insertion order, integer-like keys too', () => {
    const one: Record<string, number> = {};
    const two: Record<string, number> = {};
    for (const key of ['10', '9', 'b', 'a']) one[key] = key.length;
    for (const key of ['a', 'b', '9', '10']) two[key] = key.length;
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('follows JSON: toJSON is used, undefined members are dropped', () => {
    expect(canonicalJson({ at: new Date(0), gone: undefined })).toBe(
      '{"at":"1970-01-01T00:00:00.000Z"}',
    );
  });

  it('throws a TypeError on a BigInt', () => {
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
  });

  it('throws a TypeError on a value with no JSON form', () => {
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    expect(() => canonicalJson(() => 1)).toThrow(TypeError);
    expect(() => canonicalJson(Symbol('s'))).toThrow(TypeError);
  });

  it('throws a TypeError on a cycle through an array', () => {
    const list: unknown[] = [];
    list.push({ list });
    expect(() => canonicalJson({ list })).toThrow(TypeError);
  });

  it('throws a TypeError on a cycle through objects only, as documented', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
  });
});
