/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { createActorHost } from '../src/sw.ts';
import { coffeeCommands } from './coffeeCommands.ts';

declare const self: ServiceWorkerGlobalScope;

// The page registers `/sw.js?remote=<WebDAV collection URL>` (from the demo server's config).
const remote = new URL(self.location.href).searchParams.get('remote');

self.addEventListener('install', (event) => event.waitUntil(self.skipWaiting()));
clientsClaim();

createActorHost({
  commands: coffeeCommands,
  ...(remote === null || remote === '' ? {} : { remote: { url: remote } }),
}).listen();
