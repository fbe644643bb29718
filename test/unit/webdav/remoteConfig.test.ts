import { afterEach, describe, expect, it, vi } from 'vitest';
import { normalizeRemote } from '../../../src/webdav/remoteConfig.ts';

const url = 'https://dav.example.org/app';

describe('normalizeRemote', () => {
  it('gives every request 15 s by default', () => {
    expect(normalizeRemote({ url }).timeoutMs).toBe(15_000);
    expect(normalizeRemote({ url, timeoutMs: 500 }).timeoutMs).toBe(500);
  });

  it('refuses a time limit that is not a positive integer of milliseconds, naming it', () => {
    for (const timeoutMs of [0, -1, 1.5, Number.NaN, Infinity, 2 ** 31]) {
      expect(() => normalizeRemote({ url, timeoutMs })).toThrow(
        new RangeError(
          `options.remote.timeoutMs must be an integer in [1, 2147483647], got ${String(timeoutMs)}`,
        ),
      );
    }
    expect(() => normalizeRemote({ url, timeoutMs: '15000' as unknown as number })).toThrow(
      new TypeError('options.remote.timeoutMs must be a number of milliseconds'),
    );
  });

  it('uses the fetch it is given, and refuses one that is not a function', async () => {
    const seen: string[] = [];
    const remote = normalizeRemote({
      url,
      fetch: (input) => {
        seen.push(input);
        return Promise.resolve(new Response('ok'));
      },
    });
    await remote.fetch(`${remote.url}x`, {});
    expect(seen).toEqual(['https://dav.example.org/app/x']);
    expect(() => normalizeRemote({ url, fetch: 'no' as unknown as typeof fetch })).toThrow(
      new TypeError('options.remote.fetch must be a function'),
    );
  });

  describe('a relative url', () => {
    afterEach(() => vi.unstubAllGlobals());

    it("is a path on the worker's own origin (it failed the worker's start before)", () => {
      vi.stubGlobal('location', { href: 'https://app.example.org/sw.js?v=2' });
      expect(normalizeRemote({ url: '/dav/app' }).url).toBe('https://app.example.org/dav/app/');
    });

    it('is refused, naming the option, where there is no location to resolve it against', () => {
      expect(() => normalizeRemote({ url: '/dav/app' })).toThrow(
        new TypeError(
          "options.remote.url must be an absolute URL, or a path on the worker's own origin",
        ),
      );
    });
  });
});
