import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/actor/canonicalJson.ts';
import { stateEtag } from '../../../src/actor/stateEtag.ts';

const etagOf = (value: unknown) => stateEtag(canonicalJson(value));

describe('stateEtag', () => {
  it('is a strong ETag: 32 hex digits of the SHA-256 of the canonical JSON, quoted', async () => {
    const text = '{"a":1,"b":[2,{"c":3}]}';
    const expected = createHash('sha256').update(text).digest('hex').slice(0, 32);
    await expect(stateEtag(text)).resolves.toBe(`"${expected}"`);
    expect(expected).toBe('8ad038695d4b91af5fe8c0edd83a8039');
  });

  it('is equal for equal content, whatever the key order', async () => {
    const one = await etagOf({ b: [2, { d: 1, c: 3 }], a: 1 });
    const two = await etagOf({ a: 1, b: [2, { c: 3, d: 1 }] });
    expect(one).toBe(two);
  });

  it('differs when the content differs, array order included', async () => {
    const tags = await Promise.all([
      etagOf({}),
      etagOf({ a: 1 }),
      etagOf({ a: '1' }),
      etagOf({ list: [1, 2] }),
      etagOf({ list: [2, 1] }),
    ]);
    expect(new Set(tags).size).toBe(tags.length);
  });
});
