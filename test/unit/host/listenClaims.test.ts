import '../setup.ts';
import { afterEach, expect, it, vi } from 'vitest';
import type { ExtendableEventLike } from '../../../src/host/workerScope.ts';
import { testHost } from '../support/host.ts';

afterEach(() => {
  vi.unstubAllGlobals();
});

it('listen() claims the open pages on activate, so registerActors() resolves on a first load', async () => {
  const listeners = new Map<string, (event: ExtendableEventLike) => void>();
  const claim = vi.fn(() => Promise.resolve());
  vi.stubGlobal('location', { origin: 'http://localhost' });
  vi.stubGlobal('clients', { claim });
  vi.stubGlobal(
    'addEventListener',
    (type: string, listener: (event: ExtendableEventLike) => void) => listeners.set(type, listener),
  );
  testHost().host.listen();
  const held: Promise<unknown>[] = [];
  listeners.get('activate')?.({
    waitUntil: (work: Promise<unknown>) => held.push(work),
  } as unknown as ExtendableEventLike);
  expect(claim).toHaveBeenCalledOnce();
  // The claim is handed to waitUntil: activation is not over until the pages are controlled.
  expect(held.length).toBeGreaterThanOrEqual(1);
  await Promise.all(held);
});
