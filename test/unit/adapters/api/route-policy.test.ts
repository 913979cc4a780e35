/**
 * Every route the API registers has an access policy (core/access/route-policy.ts): a route added
 * without one is refused to everybody at run time, and this test names it first.
 */
import { describe, expect, it } from 'vitest';
import { createApiApp } from '../../../../lambdas/adapters/api/app.ts';
import type { ApiDeps } from '../../../../lambdas/adapters/api/deps.ts';
import { ROUTE_POLICIES, routePolicy } from '../../../../lambdas/core/access/route-policy.ts';

/**
 * Every route family served, including ones added later: each dep the app asks for is present
 * (a stand-in that is never called here, whatever its shape), stored mail in stream mode for its
 * download routes.
 */
const standIn: unknown = new Proxy(function standIn() {}, {
  get: (_target, key) => (key === 'mode' ? 'stream' : key === 'then' ? undefined : standIn),
  apply: () => standIn,
});
const everyFamily = new Proxy({}, { get: (_target, key) => (key === 'now' ? () => new Date() : standIn) }) as ApiDeps;

const registered = createApiApp(everyFamily)
  .routes.filter((r) => r.method !== 'ALL')
  .map((r) => `${r.method} ${r.path}`);

describe('route policy', () => {
  it('serves the route families this test expects (a sanity check on the list below)', () => {
    expect(registered).toEqual(expect.arrayContaining(['GET /health', 'GET /me', 'PUT /flows/:id', 'GET /interactions/:id/raw/download', 'GET /oauth2/callback', 'POST /send']));
  });

  it.each(registered)('%s has an access policy', (route) => {
    const [method, path] = route.split(' ') as [string, string];
    expect(routePolicy(method, path), `add "${route}" to ROUTE_POLICIES`).toBeDefined();
  });

  it('leaves only the health check and the OAuth2 callback open', () => {
    const open = Object.entries(ROUTE_POLICIES).filter(([, p]) => p.open).map(([route]) => route);
    expect(open.sort()).toEqual(['GET /health', 'GET /oauth2/callback']);
  });
});
