/// <reference lib="webworker" />

/** The Cache API cache holding the demo's shell; bump the suffix to drop old ones. */
export const shellCacheName = 'coffee-shell-v1';

// Paths the worker never answers from the cache: the actors, the demo server's switches.
const live = ['/actors/', '/demo/'];

/**
 * Caches the built shell on install: the list comes from the demo server
 * (`/demo/precache.json`, every built file); without it, at least the page.
 */
export async function cacheShell(): Promise<void> {
  const cache = await caches.open(shellCacheName);
  let files = ['/', '/demo-config.json', '/manifest.webmanifest'];
  try {
    const listing = await fetch('/demo/precache.json', { cache: 'no-store' });
    if (listing.ok) files = ((await listing.json()) as { files: string[] }).files;
  } catch {
    // Offline during install: the page and assets get cached as they are fetched.
  }
  // One by one: a file that fails must not fail the install (the actors matter more).
  await Promise.all(
    files.map((file) =>
      cache.add(new Request(file, { cache: 'reload' })).catch((error: unknown) => {
        console.warn(`coffee shop: could not cache ${file}`, error);
      }),
    ),
  );
}

/**
 * The shell's answer to a same-origin GET, or undefined to let the request
 * through. Pages and the config: the network first (fresh when online), the
 * cache when not. Hashed assets and icons: the cache first.
 */
export function serveShell(request: Request, origin: string): Promise<Response> | undefined {
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== origin) return undefined;
  if (live.some((prefix) => url.pathname.startsWith(prefix))) return undefined;
  const immutable = url.pathname.startsWith('/assets/') || url.pathname.startsWith('/icons/');
  return immutable ? cacheFirst(request) : networkFirst(request);
}

async function cacheFirst(request: Request): Promise<Response> {
  const cached = await caches.match(request, { cacheName: shellCacheName });
  if (cached !== undefined) return cached;
  const response = await fetch(request);
  if (response.ok) await (await caches.open(shellCacheName)).put(request, response.clone());
  return response;
}

async function networkFirst(request: Request): Promise<Response> {
  const cache = await caches.open(shellCacheName);
  // Every page of the app is the one shell; its query (e.g. `?tab=2`) does not matter offline.
  const key = request.mode === 'navigate' ? '/' : request;
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(key, { ignoreSearch: true });
    if (cached !== undefined) return cached;
    throw error;
  }
}
