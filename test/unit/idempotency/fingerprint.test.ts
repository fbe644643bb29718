import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/idempotency/fingerprint.ts';

const bytes = (text: string) => new TextEncoder().encode(text);
const body = bytes('{"title":"milk"}');

describe('fingerprint', () => {
  it('matches a known vector (SHA-256 of "PUT\\n/actors/user_123/tasks\\n\\n" + body)', async () => {
    const print = await fingerprint('PUT', '/actors/user_123/tasks', undefined, body);
    expect(print).toBe('bdc4e0917ab0fcf3b3c5c27674ca5bc3fa90a3a099ff80c8c91f51be5b9bc7b5');
  });

  it('agrees with node:crypto, If-Match and non-ASCII bytes included', async () => {
    const raw = bytes('{"name":"café ☕"}');
    const expected = createHash('sha256')
      .update('POST\n/actors/a/execute\n"etag", *\n')
      .update(raw)
      .digest('hex');
    await expect(fingerprint('POST', '/actors/a/execute', '"etag", *', raw)).resolves.toBe(
      expected,
    );
  });

  it('is deterministic and 64 lower-case hex digits', async () => {
    const first = await fingerprint('PUT', '/actors/a/tasks', undefined, body);
    const second = await fingerprint(
      'PUT',
      '/actors/a/tasks',
      undefined,
      bytes('{"title":"milk"}'),
    );
    expect(first).toBe(second);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
  });

  it('differs by method, path, If-Match and body', async () => {
    const base = await fingerprint('PUT', '/actors/a/state', undefined, body);
    const variants = await Promise.all([
      fingerprint('POST', '/actors/a/state', undefined, body),
      fingerprint('PUT', '/actors/b/state', undefined, body),
      fingerprint('PUT', '/actors/a/state', '"x"', body),
      fingerprint('PUT', '/actors/a/state', '*', body),
      fingerprint('PUT', '/actors/a/state', undefined, bytes('{"title":"milk" }')),
      fingerprint('PUT', '/actors/a/state', undefined, new Uint8Array()),
    ]);
    expect(new Set([base, ...variants]).size).toBe(1 + variants.length);
  });
});
