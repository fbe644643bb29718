// Compile-time test, run by `npm run typecheck`: both forms of actordav/workbox fit the app's
// own workbox-routing `registerRoute` as its types declare it. Never called.
import { registerRoute } from 'workbox-routing';
import type { ActorHost } from '../../src/sw.ts';
import { actorRouteHandlers, actorRoutes } from '../../src/workbox.ts';

export function registerBothForms(host: ActorHost): void {
  actorRoutes(host).forEach((route) => registerRoute(route));
  const { match, handler, methods } = actorRouteHandlers(host);
  for (const method of methods) registerRoute(match, handler, method);
}
