import { describe, expect, it } from 'vitest';
import { normalizeClientOptions } from '../../../src/client/clientOptions.ts';
import { MemoryStorage } from './support.ts';

describe('normalizeClientOptions', () => {
  it('fills every default', () => {
    const config = normalizeClientOptions({ storage: null });
    expect(config).toMatchObject({
      scope: '/actors/',
      retry: { maxAttempts: 8, maxElapsedMs: 30_000, baseDelayMs: 250, maxDelayMs: 5_000 },
      storage: null,
      syncOnOnline: true,
      requireController: true,
    });
    expect(typeof config.fetch).toBe('function');
  });

  it('keeps what is given', () => {
    const storage = new MemoryStorage();
    const config = normalizeClientOptions({
      scope: '/app/actors/',
      retry: { maxAttempts: 3, maxElapsedMs: 0, baseDelayMs: 10, maxDelayMs: 10 },
      storage,
      syncOnOnline: false,
    });
    expect(config.scope).toBe('/app/actors/');
    expect(config.retry).toEqual({
      maxAttempts: 3,
      maxElapsedMs: 0,
      baseDelayMs: 10,
      maxDelayMs: 10,
    });
    expect(config.storage).toBe(storage);
    expect(config.syncOnOnline).toBe(false);
  });

  it.each([
    [{ scope: 'actors/' }, TypeError, /options\.scope/],
    [{ scope: '/actors' }, TypeError, /options\.scope/],
    [{ scope: '/a/../' }, TypeError, /options\.scope/],
    [{ retry: { maxAttempts: 0 } }, RangeError, /options\.retry\.maxAttempts/],
    [{ retry: { maxAttempts: 1.5 } }, RangeError, /options\.retry\.maxAttempts/],
    [{ retry: { maxElapsedMs: -1 } }, RangeError, /options\.retry\.maxElapsedMs/],
    [{ retry: { baseDelayMs: Number.NaN } }, RangeError, /options\.retry\.baseDelayMs/],
    [{ retry: { baseDelayMs: 100, maxDelayMs: 50 } }, RangeError, /options\.retry\.maxDelayMs/],
    [{ storage: {} as Storage }, TypeError, /options\.storage/],
    [{ syncOnOnline: 'yes' as unknown as boolean }, TypeError, /options\.syncOnOnline/],
    [{ requireController: 1 as unknown as boolean }, TypeError, /options\.requireController/],
    [{ fetch: 'fetch' as unknown as typeof fetch }, TypeError, /options\.fetch/],
  ])('refuses %j with an error naming the option', (options, type, message) => {
    expect(() => normalizeClientOptions({ storage: null, ...options })).toThrow(type);
    expect(() => normalizeClientOptions({ storage: null, ...options })).toThrow(message);
  });
});
