/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { createActorHost } from '../src/sw.ts';
import { coffeeCommands } from './coffeeCommands.ts';
import { cacheShell, serveShell, shellCacheName } from './shellCache.ts';

declare const self: ServiceWorkerGlobalScope;

// The page registers `/sw.js?remote=<WebDAV collection URL>` (from the demo server's config).
const remote = new URL(self.location.href).searchParams.get('remote');

self.addEventListener('install', (event) =>
  event.waitUntil(cacheShell().then(() => self.skipWaiting())),
);
clientsClaim();

// The actors first: the host answers `/actors/*` and lets everything else through.
createActorHost({
  commands: coffeeCommands,
  ...(remote === null || remote === '' ? {} : { remote: { url: remote } }),
}).listen();

// Then the shell, so the app opens with no network at all.
self.addEventListener('fetch', (event) => {
  const response = serveShell(event.request, self.location.origin);
  if (response !== undefined) event.respondWith(response);
});
self.addEventListener('activate', (event) => event.waitUntil(dropOldCaches()));

async function dropOldCaches(): Promise<void> {
  for (const name of await caches.keys()) {
    if (name.startsWith('coffee-shell-') && name !== shellCacheName) await caches.delete(name);
  }
}
