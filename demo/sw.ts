/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { createActorHost } from '../src/sw.ts';
import { coffeeCommands } from './coffeeCommands.ts';

declare const self: ServiceWorkerGlobalScope;

self.addEventListener('install', (event) => event.waitUntil(self.skipWaiting()));
clientsClaim();

createActorHost({ commands: coffeeCommands }).listen();
