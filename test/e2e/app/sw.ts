/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { createActorHost } from '../../../src/sw.ts';
import { nextReleaseCommands, runs, testCommands } from './testCommands.ts';
import { variants } from './variants.ts';

declare const self: ServiceWorkerGlobalScope;
/** Which release of the app this worker build is (vite.config.ts builds one file per release). */
declare const __APP_RELEASE__: 'current' | 'next';

const query = new URL(self.location.href).searchParams;
const name = query.get('scope') ?? 'default';
const prefix = name === 'default' ? '/' : `/${name}/`;
// `remote` may repeat: actors are then spread over the servers listed (rendezvous hashing).
const remotes = query.getAll('remote');
const token = { value: query.get('token') };

self.addEventListener('install', (event) => event.waitUntil(self.skipWaiting()));
clientsClaim();

// `?backgroundSync=none` hides the Background Sync API, as Firefox and WebKit lack it; sync events
// that reach the worker anyway are counted, so a test can tell that the fallback triggers alone did it.
if (query.get('backgroundSync') === 'none') {
  Object.defineProperty(self.registration, 'sync', { value: undefined });
}
let syncEvents = 0;
self.addEventListener('sync', () => (syncEvents += 1));

// Test instrumentation outside the host's scope: how often each command ran in this worker, and a way to
// change the remote's credentials at run time (what an app would do after a login).
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.pathname === `${prefix}__runs`) {
    event.respondWith(Response.json(Object.fromEntries(runs)));
  } else if (url.pathname === `${prefix}__sync-events`) {
    event.respondWith(
      Response.json({
        syncEvents,
        hasApi: (self.registration as { sync?: unknown }).sync !== undefined,
      }),
    );
  } else if (url.pathname === `${prefix}__token`) {
    token.value = url.searchParams.get('value');
    event.respondWith(new Response(null, { status: 204 }));
  }
});

function remoteAt(url: string) {
  return {
    url,
    headers: (): Record<string, string> =>
      token.value === null ? {} : { authorization: `Basic ${token.value}` },
    ...(query.has('timeout') ? { timeoutMs: Number(query.get('timeout')) } : {}),
  };
}

// The app's next release (`sw-next.js`): one more command, and a higher commandsVersion.
const next = __APP_RELEASE__ === 'next';

createActorHost({
  commands: next ? nextReleaseCommands : testCommands,
  commandsVersion: next ? 1 : 0,
  scope: `${prefix}actors/`,
  ...(remotes.length === 0
    ? {}
    : { remote: remotes.length === 1 ? remoteAt(remotes[0] ?? '') : remotes.map(remoteAt) }),
  ...(query.has('confirm') ? { confirmTimeoutMs: Number(query.get('confirm')) } : {}),
  ...(query.has('checkpointEvery')
    ? { checkpointEvery: Number(query.get('checkpointEvery')) }
    : {}),
  ...variants[query.get('variant') ?? name],
}).listen();
