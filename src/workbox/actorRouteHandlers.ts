import type { ActorHost } from '../host/createActorHost.ts';
import type { ExtendableEventLike } from '../host/workerScope.ts';

/** Every method the host answers (a method it does not allow gets its `405` from the host). */
export const actorMethods = ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH'] as const;

/** An HTTP method the host's routes are registered for. */
export type ActorMethod = (typeof actorMethods)[number];

/** What Workbox hands a route's `match` callback (every version since 5). */
export interface RouteMatchOptions {
  url: URL;
}

/** What Workbox hands a route's handler callback (every version since 5). */
export interface RouteHandlerOptions {
  request: Request;
  event: ExtendableEventLike;
}

/** A match callback, a handler callback and the methods to register them for. */
export interface ActorRouteHandlers {
  // Properties, not methods: they are meant to be passed around on their own.
  match: (options: RouteMatchOptions) => boolean;
  handler: (options: RouteHandlerOptions) => Promise<Response>;
  methods: readonly ActorMethod[];
}

/**
 * The host's routing as plain callbacks, for the app's own `registerRoute` of
 * any Workbox version. Nothing here imports Workbox, so no second copy of
 * `workbox-routing` ends up in the worker: a `Route` made by another copy fails
 * `registerRoute`'s `instanceof Route` check.
 *
 * @example
 * ```ts
 * import { registerRoute } from 'workbox-routing';
 * import { actorRouteHandlers } from 'actordav/workbox';
 *
 * const { match, handler, methods } = actorRouteHandlers(host);
 * for (const method of methods) registerRoute(match, handler, method);
 * ```
 */
export function actorRouteHandlers(host: ActorHost): ActorRouteHandlers {
  return {
    match: ({ url }) => host.matches(url),
    handler: ({ request, event }) => host.handle(request, event),
    methods: actorMethods,
  };
}
