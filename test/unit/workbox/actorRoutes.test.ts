import '../setup.ts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Route } from 'workbox-routing';
import { actorMethods, actorRouteHandlers, actorRoutes } from '../../../src/workbox.ts';
import { testHost } from '../support/host.ts';
import { actorRequest } from '../support/requests.ts';

afterEach(() => vi.unstubAllGlobals());

const event = { waitUntil: () => undefined } as unknown as ExtendableEvent;

describe('actordav/workbox', () => {
  it('has one Workbox route per method, made by the app’s workbox-routing', () => {
    const routes = actorRoutes(testHost().host);
    expect(routes.map((route) => route.method)).toEqual([
      'GET',
      'HEAD',
      'PUT',
      'POST',
      'DELETE',
      'PATCH',
    ]);
    expect(routes.every((route) => route instanceof Route)).toBe(true);
  });

  it('gives plain callbacks any registerRoute takes: match by scope, answer through the host', async () => {
    vi.stubGlobal('location', { origin: 'http://localhost' });
    const { match, handler, methods } = actorRouteHandlers(testHost().host);
    expect(methods).toBe(actorMethods);
    expect(match({ url: new URL('http://localhost/actors/a/state') })).toBe(true);
    expect(match({ url: new URL('http://localhost/app.js') })).toBe(false);
    const response = await handler({ request: actorRequest('GET', '/actors/a/state'), event });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
  });
});
