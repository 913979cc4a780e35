/**
 * The HTTP API over the DynamoDB stores of a set of test tables, wired by production's own
 * `apiStores` (lambdas/adapters/api-stores.ts, which the API Lambdas' `apiDeps()` uses too) with
 * the emulator's client, the suite's tables and the fixed clock the assertions are computed with.
 * A suite asks only for the route families it exercises, as the API serves only those whose deps
 * it is given.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { createApiApp } from '../../lambdas/adapters/api/app.ts';
import type { ApiDeps } from '../../lambdas/adapters/api/deps.ts';
import { apiStores } from '../../lambdas/adapters/api-stores.ts';
import { fixedCallerResolver } from '../../lambdas/adapters/auth/token-verifier.ts';
import { DynamoDomainStore } from '../../lambdas/adapters/dynamodb/domain-store.ts';
import { DomainService, type DomainServiceDeps } from '../../lambdas/core/domains/domain-service.ts';
import type { Tables } from '../integration/dynamodb/fixtures.ts';
import { at, servedDomains } from './factories.ts';

/** The route families to serve beside interactions and queues, and the clock. */
export interface ApiParts {
  /** @default at(10): 09:10 on the factories' day, the documented score example's reading time */
  readonly now?: () => Date;
  /**
   * Serves the address, flow and template routes, for addresses on these domains (fixed, not read
   * from the config table); `'stored'`: on the domains stored in the suite's config table, as deployed.
   */
  readonly domains?: readonly string[] | 'stored';
  /** Serves agents, queue administration and claims; the queue-closing pause is 0 (emulators index at once). */
  readonly acd?: boolean;
  /** Serves the dead-letter listing (no redrive: no dead-letter bucket or inbound queue). */
  readonly deadLetters?: boolean;
  /** Serves the suppression list (list, lift). */
  readonly suppressions?: boolean;
  /**
   * Serves the domain routes: the registry over the config table's domain store, the address routes
   * (a domain with routes is not removed), the clock, and these ports and settings.
   */
  readonly registry?: Omit<DomainServiceDeps, 'store' | 'now' | 'addressesOn'>;
}

/**
 * Every request is this admin: what API Gateway's IAM path yields for the CLI's signed calls.
 * Suites about routes use it; suites about roles pass their own resolver (`over.callers`).
 */
export const adminCallers = fixedCallerResolver({ id: 'arn:aws:iam::123456789012:user/test-admin', role: 'admin', kind: 'iam' });

/** The API's deps over `tables`; `over` replaces any of them (a failing store, a log, `callers`). @default callers {@link adminCallers} */
export function dynamoApiDeps(tables: Tables, parts: ApiParts = {}, over: Partial<ApiDeps> = {}): ApiDeps {
  const stores = apiStores(
    tables.doc,
    { interactionsTable: tables.interactions, queuesTable: tables.queues, configTable: tables.config },
    {
      now: parts.now ?? (() => at(10)),
      ...(Array.isArray(parts.domains) && { servedDomains: servedDomains(parts.domains) }),
      queueClosingSettleMs: 0,
    },
  );
  return {
    callers: adminCallers,
    interactions: stores.interactions,
    queues: stores.queues,
    now: stores.now,
    search: stores.search,
    ...(parts.domains && { routingConfig: stores.routingConfig }),
    ...(parts.acd && { acd: stores.acd }),
    ...(parts.deadLetters && { deadLetters: { store: stores.deadLetters } }),
    ...(parts.suppressions && { suppressions: stores.suppressions }),
    ...(parts.registry && {
      domains: new DomainService({
        ...parts.registry,
        store: new DynamoDomainStore(tables.doc, tables.config),
        now: stores.now,
        addressesOn: async (domain) => (await stores.routingConfig.addresses.list()).map((r) => r.address).filter((a) => a.endsWith(`@${domain}`)),
      }),
    }),
    ...over,
  };
}

/** Every route of the API (flows included) over `tables`; see {@link dynamoApiDeps}. */
export function dynamoApiApp(tables: Tables, parts: ApiParts = {}, over: Partial<ApiDeps> = {}): Hono {
  return createApiApp(dynamoApiDeps(tables, parts, over));
}

/** An app served on 127.0.0.1 at a free port, for tests that run the CLI against it. */
export interface ServedApi {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `app` on 127.0.0.1 at a port the system picks; resolves once it listens. */
export async function serveApi(app: Hono): Promise<ServedApi> {
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
