import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerActors } from '../../../src/client/registerActors.ts';
import { isNotControlledError } from '../../../src/client/errors/NotControlledError.ts';

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

/** A page no worker controls yet: `register` resolves `registration`; `claim()` makes the worker take it. */
function stubUncontrolled(
  registration: {
    scope: string;
    active: { state: string } | null;
    installing?: { state: string } | null;
  },
  href = 'http://localhost/app/index.html',
) {
  const listeners = new Set<() => void>();
  const container = {
    controller: null as object | null,
    register: vi.fn(() => Promise.resolve(registration)),
    addEventListener: (_type: string, listener: () => void) => listeners.add(listener),
    removeEventListener: (_type: string, listener: () => void) => listeners.delete(listener),
  };
  vi.stubGlobal('navigator', { serviceWorker: container });
  vi.stubGlobal('location', { href });
  return {
    claim() {
      container.controller = {};
      for (const listener of [...listeners]) listener();
    },
    listeners,
  };
}

describe('registerActors never waits forever', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('resolves when the worker claims the page (a first load)', async () => {
    const page = stubUncontrolled({ scope: 'http://localhost/', active: null });
    const registered = registerActors('/sw.js', { persist: false });
    await Promise.resolve();
    page.claim();
    await expect(registered).resolves.toMatchObject({
      registration: { scope: 'http://localhost/' },
    });
    expect(page.listeners.size).toBe(0);
  });

  it('rejects a page outside the registration scope at once: outside-scope', async () => {
    stubUncontrolled({ scope: 'http://localhost/other/', active: null });
    const error = await registerActors('/sw.js', { scope: '/other/' }).catch((e: unknown) => e);
    expect(isNotControlledError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'NotControlledError', code: 'outside-scope' });
    expect(String((error as Error).message)).toContain('http://localhost/other/');
  });

  it('rejects a hard reload (a worker is active, yet none controls the page): hard-reload', async () => {
    vi.useFakeTimers();
    stubUncontrolled({ scope: 'http://localhost/', active: { state: 'activated' } });
    const registered = registerActors('/sw.js').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(5000);
    const error = await registered;
    expect(error).toMatchObject({ name: 'NotControlledError', code: 'hard-reload' });
    expect(String((error as Error).message)).toMatch(/reload/i);
  });

  it('waits out a claim that is on its way while the worker activates (a second tab of a first load)', async () => {
    vi.useFakeTimers();
    const page = stubUncontrolled({ scope: 'http://localhost/', active: { state: 'activated' } });
    const registered = registerActors('/sw.js', { persist: false });
    await vi.advanceTimersByTimeAsync(200);
    page.claim();
    await expect(registered).resolves.toBeDefined();
  });

  it('waits for an update in flight to claim the page, though a worker is active (WebKit takes seconds)', async () => {
    vi.useFakeTimers();
    const page = stubUncontrolled({
      scope: 'http://localhost/',
      active: { state: 'activated' },
      installing: { state: 'installing' },
    });
    const registered = registerActors('/sw.js', { persist: false });
    await vi.advanceTimersByTimeAsync(6000);
    page.claim();
    await expect(registered).resolves.toBeDefined();
  });

  it('rejects when no worker controls the page within timeoutMs: control-timeout', async () => {
    vi.useFakeTimers();
    const page = stubUncontrolled({ scope: 'http://localhost/', active: null });
    const registered = registerActors('/sw.js', { timeoutMs: 3000 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(2999);
    expect(page.listeners.size).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    const error = await registered;
    expect(error).toMatchObject({ name: 'NotControlledError', code: 'control-timeout' });
    expect(String((error as Error).message)).toContain('clients.claim()');
    expect(page.listeners.size).toBe(0);
  });

  it('refuses a timeoutMs that is not a positive number, naming it', async () => {
    stubUncontrolled({ scope: 'http://localhost/', active: null });
    await expect(registerActors('/sw.js', { timeoutMs: 0 })).rejects.toThrow(/options\.timeoutMs/);
  });
});
