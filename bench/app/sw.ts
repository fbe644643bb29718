/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { createActorHost, type ActorHost } from '../../src/sw.ts';
import { echo, echoGet, echoGetPut, echoPut } from './baselines.ts';
import { benchCommands } from './benchCommands.ts';
import { fillReceipts, type FillOrder } from './fillReceipts.ts';
import { createHistoryHost, type HistoryHost } from './historyHost.ts';
import { createWorkboxBacklog, type WorkboxBacklog } from './workboxBacklog.ts';

declare const self: ServiceWorkerGlobalScope;

// `?remote=` (a WebDAV collection URL) adds the synced host and the Workbox queue.
const remote = new URL(self.location.href).searchParams.get('remote');

self.addEventListener('install', (event) => event.waitUntil(self.skipWaiting()));
clientsClaim();

/** `/actors/`: no remote, so an answer is final once committed locally. */
const local = createActorHost({ commands: benchCommands });
/** Two hosts of their own databases, filled with 1,000 and 100,000 receipts. */
const lookupHosts = [
  createActorHost({ scope: '/l1k/actors/', dbName: 'actordav-l1k' }),
  createActorHost({ scope: '/l100k/actors/', dbName: 'actordav-l100k' }),
];
/** `/sync/actors/`: synced to the remote; answers `202` at once (the backlog benchmark). */
const synced =
  remote === null
    ? undefined
    : createActorHost({
        commands: benchCommands,
        scope: '/sync/actors/',
        dbName: 'actordav-sync',
        remote: { url: remote },
        confirmTimeoutMs: 0,
      });
const workbox: WorkboxBacklog | undefined =
  remote === null ? undefined : createWorkboxBacklog(remote);
/** `/hist/actors/`: the history benchmark's device, one sync round at a time. */
const history: HistoryHost | undefined = remote === null ? undefined : createHistoryHost(remote);
const hosts: ActorHost[] = [
  local,
  ...lookupHosts,
  ...(synced === undefined ? [] : [synced]),
  ...(history === undefined ? [] : [history.host]),
];

const jsonAnswer = (value: unknown) => Response.json(value);

async function timed(work: () => Promise<unknown>): Promise<{ ms: number }> {
  const start = performance.now();
  await work();
  return { ms: performance.now() - start };
}

// The baselines and the benchmark's controls, outside every host's scope.
function benchAnswer(request: Request, url: URL): Promise<Response> | undefined {
  const key = url.searchParams.get('k') ?? '';
  const [, , route, ...rest] = url.pathname.split('/');
  switch (route) {
    case 'echo':
      return echo(request);
    case 'echo-put':
      return echoPut(request, key);
    case 'echo-get':
      return echoGet(request, key);
    case 'echo-get-put':
      return echoGetPut(request, key);
    case 'wb':
      return workbox?.accept(request, rest.join('-'));
    case 'wb-fill':
      return workbox === undefined
        ? undefined
        : request
            .json()
            .then((order) =>
              workbox.fill(order as { count: number; actors: number; prefix: string }),
            )
            .then(jsonAnswer);
    case 'wb-drain':
      return workbox?.drain().then(jsonAnswer);
    case 'dav-drain':
      return synced === undefined ? undefined : timed(() => synced.sync()).then(jsonAnswer);
    case 'fill':
      return request
        .json()
        .then((order) => fillReceipts(order as FillOrder))
        .then(jsonAnswer);
    case 'ping':
      return Promise.resolve(jsonAnswer({ remote }));
    default:
      return undefined;
  }
}

// One listener for everything (rather than each host's `listen()`), so a baseline request pays
// the same dispatch as an actordav one.
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) return;
  const host = hosts.find((candidate) => candidate.matches(url));
  if (host !== undefined) {
    event.respondWith(host.handle(event.request, event));
    return;
  }
  if (!url.pathname.startsWith('/bench/')) return;
  const answer =
    history?.answer(url.pathname.split('/')[2], event.request) ?? benchAnswer(event.request, url);
  event.respondWith(
    (answer ?? Promise.resolve(new Response('no such bench route', { status: 404 }))).catch(
      (error: unknown) => new Response(String(error), { status: 500 }),
    ),
  );
});
