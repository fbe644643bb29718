import { Route } from 'workbox-routing';
import type { ActorHost } from '../host/createActorHost.ts';
import { actorRouteHandlers } from './actorRouteHandlers.ts';

/**
 * One Workbox `Route` per method the host answers, made with the app's own
 * `workbox-routing` (an optional peer dependency of actordav, so there is one
 * copy). Register them before any catch-all route: Workbox matches routes in
 * registration order.
 *
 * @example
 * ```ts
 * import { registerRoute } from 'workbox-routing';
 * import { actorRoutes } from 'actordav/workbox';
 *
 * actorRoutes(host).forEach((route) => registerRoute(route));
 * ```
 */
export function actorRoutes(host: ActorHost): Route[] {
  const { match, handler, methods } = actorRouteHandlers(host);
  return methods.map((method) => new Route(match, handler, method));
}
