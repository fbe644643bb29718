/**
 * What a service worker has and Node 20 lacks, for tests that run the host or
 * the mailbox: IndexedDB (fake-indexeddb), `self` (Workbox reads it when its
 * dev-mode logger loads) and `navigator.locks` (an in-process stand-in).
 * Import it first, before any module under src/host or src/mailbox.
 */
import 'fake-indexeddb/auto';
import { installWebLocks } from './support/webLocks.ts';

const scope = globalThis as { self?: unknown };
scope.self ??= globalThis;

/** The lock manager every test of this process shares. */
export const locks = installWebLocks();
