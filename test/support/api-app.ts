/**
 * The HTTP API over the DynamoDB stores of a set of test tables, wired store by store as
 * production's `apiDeps()` (lambdas/adapters/api-deps.ts) wires them from the Lambda environment.
 * Why not `apiDeps()` itself: it reads table names from the environment, uses the container's
 * one DynamoDB client and the wall clock, while these tests need their own tables, the emulator's
 * client and the fixed clock their assertions are computed with. A suite asks only for the route
 * families it exercises, as the API serves only those whose deps it is given.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { createApiApp } from '../../lambdas/adapters/api/app.ts';
import type { ApiDeps } from '../../lambdas/adapters/api/deps.ts';
import { DynamoAgentStore } from '../../lambdas/adapters/dynamodb/agent-store.ts';
import { DynamoAddressRouteStore } from '../../lambdas/adapters/dynamodb/config-store.ts';
import { DynamoDeadLetterStore } from '../../lambdas/adapters/dynamodb/dead-letter-store.ts';
import { DynamoFlowStore } from '../../lambdas/adapters/dynamodb/flow-store.ts';
import { DynamoInteractionClaims } from '../../lambdas/adapters/dynamodb/interaction-claims.ts';
import { DynamoInteractionStore } from '../../lambdas/adapters/dynamodb/interaction-store.ts';
import { DynamoQueueStore } from '../../lambdas/adapters/dynamodb/queue-store.ts';
import { DynamoTemplateStore } from '../../lambdas/adapters/dynamodb/template-store.ts';
import type { Tables } from '../integration/dynamodb/fixtures.ts';
import { at } from './factories.ts';

/** The route families to serve beside interactions and queues, and the clock. */
export interface ApiParts {
  /** @default at(10): 09:10 on the factories' day, the documented score example's reading time */
  readonly now?: () => Date;
  /** Serves the address, flow and template routes, for addresses on these domains. */
  readonly domains?: readonly string[];
  /** Serves agents, queue administration and claims; the queue-closing pause is 0 (emulators index at once). */
  readonly acd?: boolean;
  /** Serves the dead-letter listing (no redrive: no dead-letter bucket or inbound queue). */
  readonly deadLetters?: boolean;
}

/** The API's deps over `tables`; `over` replaces any of them (a failing store, a log). */
export function dynamoApiDeps(tables: Tables, parts: ApiParts = {}, over: Partial<ApiDeps> = {}): ApiDeps {
  const { doc } = tables;
  const queues = new DynamoQueueStore(doc, tables.queues, tables.interactions);
  return {
    interactions: new DynamoInteractionStore(doc, tables.interactions),
    queues,
    now: parts.now ?? (() => at(10)),
    ...(parts.domains && {
      routingConfig: {
        addresses: new DynamoAddressRouteStore(doc, tables.config),
        flows: new DynamoFlowStore(doc, tables.config),
        templates: new DynamoTemplateStore(doc, tables.config),
        domains: parts.domains,
      },
    }),
    ...(parts.acd && {
      acd: {
        agents: new DynamoAgentStore(doc, tables.config),
        queueAdmin: queues,
        claims: new DynamoInteractionClaims(doc, tables.interactions),
        queueClosingSettleMs: 0,
      },
    }),
    ...(parts.deadLetters && { deadLetters: { store: new DynamoDeadLetterStore(doc, tables.interactions) } }),
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
