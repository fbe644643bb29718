/**
 * actordav's Workbox adapter: the host's routes for a worker that routes with
 * Workbox instead of calling `host.listen()`. Needs `workbox-routing` (6 or 7)
 * only for `actorRoutes`; `actorRouteHandlers` works with the app's own
 * `registerRoute` of any version and imports nothing of Workbox.
 *
 * @example
 * ```ts
 * import { registerRoute } from 'workbox-routing';
 * import { createActorHost } from 'actordav/sw';
 * import { actorRoutes } from 'actordav/workbox';
 *
 * const host = createActorHost({ commands });
 * actorRoutes(host).forEach((route) => registerRoute(route)); // before any catch-all route
 * host.listenForSync();
 * ```
 */
export { actorRoutes } from './workbox/actorRoutes.ts';
export {
  actorMethods,
  actorRouteHandlers,
  type ActorMethod,
  type ActorRouteHandlers,
  type RouteHandlerOptions,
  type RouteMatchOptions,
} from './workbox/actorRouteHandlers.ts';
