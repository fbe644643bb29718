import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerActors } from '../../../src/client/registerActors.ts';

interface FakeStorage {
  persist?: () => Promise<boolean>;
  persisted?: () => Promise<boolean>;
}

/** A page whose worker already controls it, with the Storage API given (or none). */
function stubPage(storage: FakeStorage | undefined) {
  const registration = { scope: 'http://localhost/' };
  const register = vi.fn(() => Promise.resolve(registration));
  vi.stubGlobal('navigator', {
    serviceWorker: { controller: {}, register, addEventListener: vi.fn() },
    ...(storage === undefined ? {} : { storage }),
  });
  return { registration, register };
}

/** Resolves with 'still waiting' unless `promise` settles within a few turns of the event loop. */
const settlesSoon = <T>(promise: Promise<T>) =>
  Promise.race([
    promise,
    new Promise<string>((resolve) => setTimeout(() => resolve('still waiting'), 20)),
  ]);

describe('registerActors', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('does not wait for a persistence prompt the user has not answered (Firefox)', async () => {
    let answer: (granted: boolean) => void = () => undefined;
    const persist = vi.fn(() => new Promise<boolean>((resolve) => (answer = resolve)));
    const { registration } = stubPage({ persist, persisted: () => Promise.resolve(false) });
    const registered = await settlesSoon(registerActors('/sw.js'));
    expect(registered).not.toBe('still waiting');
    const { persisted, registration: got } = registered as Awaited<
      ReturnType<typeof registerActors>
    >;
    expect(got).toBe(registration);
    expect(await settlesSoon(persisted)).toBe('still waiting');
    answer(true);
    await expect(persisted).resolves.toBe(true);
    expect(persist).toHaveBeenCalledTimes(1);
  });

  it('does not ask again when storage is persistent already', async () => {
    const persist = vi.fn(() => Promise.resolve(true));
    stubPage({ persist, persisted: () => Promise.resolve(true) });
    const { persisted } = await registerActors('/sw.js');
    await expect(persisted).resolves.toBe(true);
    expect(persist).not.toHaveBeenCalled();
  });

  it('reports an engine without the Storage API (WebKitGTK) as unsupported', async () => {
    stubPage(undefined);
    const { persisted } = await registerActors('/sw.js');
    await expect(persisted).resolves.toBe('unsupported');
  });

  it('reports a refused or failed request as false, never a rejection', async () => {
    stubPage({
      persist: () => Promise.reject(new Error('denied')),
      persisted: () => Promise.resolve(false),
    });
    const { persisted } = await registerActors('/sw.js');
    await expect(persisted).resolves.toBe(false);
  });

  it('skips the request with persist: false', async () => {
    const persist = vi.fn(() => Promise.resolve(true));
    const { register } = stubPage({ persist });
    const { persisted } = await registerActors('/sw.js', { persist: false, scope: '/app/' });
    await expect(persisted).resolves.toBe('skipped');
    expect(persist).not.toHaveBeenCalled();
    expect(register).toHaveBeenCalledWith('/sw.js', { scope: '/app/', type: 'module' });
  });
});
