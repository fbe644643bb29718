import fastJsonPatch from 'fast-json-patch';
import { describe, expect, it } from 'vitest';
import { applyPatch, diffJson, PatchError } from '../../../src/sync/jsonPatch.ts';

/** A small seeded generator (mulberry32), so every run checks the same documents. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function document(next: () => number, depth = 0): unknown {
  const pick = next();
  if (depth > 3 || pick < 0.3) return [1, 'a', true, null, 2.5, 'x/y~z'][Math.floor(next() * 6)];
  if (pick < 0.6)
    return Array.from({ length: Math.floor(next() * 4) }, () => document(next, depth + 1));
  const names = ['a', 'b', 'c/d', 'e~f', ''];
  const object: Record<string, unknown> = {};
  for (const name of names) if (next() < 0.5) object[name] = document(next, depth + 1);
  return object;
}

// Changes a copy of `value` at random: members added, removed, replaced; arrays grown and shrunk.
function mutate(value: unknown, next: () => number): unknown {
  if (Array.isArray(value)) {
    const items = (value as unknown[]).map((item) => (next() < 0.3 ? mutate(item, next) : item));
    if (next() < 0.4) items.push(document(next));
    if (next() < 0.2) items.pop();
    return items;
  }
  if (typeof value === 'object' && value !== null) {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const name of Object.keys(copy)) {
      if (next() < 0.2) delete copy[name];
      else if (next() < 0.3) copy[name] = mutate(copy[name], next);
    }
    if (next() < 0.3) copy[`n${Math.floor(next() * 9)}`] = document(next);
    return copy;
  }
  return next() < 0.5 ? document(next) : value;
}

describe('diffJson and applyPatch (RFC 6902: add, replace, remove)', () => {
  it('turns one document into the other, as the reference implementation applies it too', () => {
    const next = random(7);
    for (let i = 0; i < 500; i++) {
      const from = { root: document(next) };
      const to = mutate(from, next);
      const patch = diffJson(from, to);
      const before = JSON.stringify(from);
      expect(applyPatch(from, patch)).toEqual(to);
      // Never changes its input.
      expect(JSON.stringify(from)).toBe(before);
      const reference = fastJsonPatch.applyPatch(
        structuredClone(from),
        structuredClone(patch),
        true,
      );
      expect(reference.newDocument).toEqual(to);
    }
  });

  it('appends to a grown array with add …/-, and says nothing of shared subtrees', () => {
    const tasks = Array.from({ length: 1000 }, (_, i) => ({ key: `k${i}` }));
    const from = { tasks, total: 1 };
    const to = { tasks: [...tasks, { key: 'new' }], total: 1 };
    expect(diffJson(from, to)).toEqual([{ op: 'add', path: '/tasks/-', value: { key: 'new' } }]);
    expect(diffJson(from, { ...from })).toEqual([]);
  });

  it('escapes ~ and / in member names', () => {
    expect(diffJson({}, { 'a/b~c': 1 })).toEqual([{ op: 'add', path: '/a~1b~0c', value: 1 }]);
    expect(applyPatch({}, [{ op: 'add', path: '/a~1b~0c', value: 1 }])).toEqual({ 'a/b~c': 1 });
  });

  it('keeps a member named __proto__ a member', () => {
    const patched = applyPatch({ a: {} }, [{ op: 'add', path: '/a/__proto__', value: { x: 1 } }]);
    const a = (patched as { a: object }).a;
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    expect(Object.keys(a)).toEqual(['__proto__']);
  });

  it.each<[string, unknown, unknown]>([
    ['not an array', {}, { op: 'add' }],
    ['an unknown operation', {}, [{ op: 'move', from: '/a', path: '/b' }]],
    ['a test operation', {}, [{ op: 'test', path: '/a', value: 1 }]],
    ['a path without /', {}, [{ op: 'add', path: 'a', value: 1 }]],
    ['a bad escape', {}, [{ op: 'add', path: '/a~2', value: 1 }]],
    ['no value', {}, [{ op: 'add', path: '/a' }]],
    ['replacing a missing member', {}, [{ op: 'replace', path: '/a', value: 1 }]],
    ['removing a missing member', {}, [{ op: 'remove', path: '/a' }]],
    ['an index past the end', { a: [1] }, [{ op: 'add', path: '/a/2', value: 1 }]],
    ['a leading zero index', { a: [1, 2] }, [{ op: 'remove', path: '/a/01' }]],
    ['a path through a number', { a: 1 }, [{ op: 'add', path: '/a/b', value: 1 }]],
    ['a missing parent', {}, [{ op: 'add', path: '/a/b', value: 1 }]],
    ['removing the document', {}, [{ op: 'remove', path: '' }]],
  ])('refuses %s', (_why, document, patch) => {
    expect(() => applyPatch(document, patch)).toThrow(PatchError);
  });
});
