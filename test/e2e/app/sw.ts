/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { createActorHost } from '../../../src/sw.ts';
import { runs, testCommands } from './testCommands.ts';
import { variants } from './variants.ts';

declare const self: ServiceWorkerGlobalScope;

const variant = new URL(self.location.href).searchParams.get('variant') ?? 'default';
const prefix = variant === 'default' ? '/' : `/${variant}/`;

self.addEventListener('install', (event) => event.waitUntil(self.skipWaiting()));
clientsClaim();

// Test instrumentation outside the host's scope: how often each command ran in this worker.
self.addEventListener('fetch', (event) => {
  if (new URL(event.request.url).pathname === `${prefix}__runs`) {
    event.respondWith(Response.json(Object.fromEntries(runs)));
  }
});

createActorHost({
  commands: testCommands,
  scope: `${prefix}actors/`,
  ...variants[variant],
}).listen();
