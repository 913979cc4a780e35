/**
 * API Lambda: the HTTP API app behind API Gateway's HTTP API (IAM auth, payload format 2.0).
 * Wiring only: env is read and clients are created once per container. It imports no MIME
 * adapter, so its bundle carries no MIME parser.
 */
import { handle } from 'hono/aws-lambda';
import { createApiApp } from '../adapters/api/app.ts';
import { documentClient } from '../adapters/aws-clients.ts';
import { DynamoInteractionStore } from '../adapters/dynamodb/interaction-store.ts';
import { DynamoQueueStore } from '../adapters/dynamodb/queue-store.ts';
import { tablesEnv } from '../adapters/env.ts';

const env = tablesEnv();

/** The app, exported so the handler's wiring can be exercised without API Gateway. */
export const app = createApiApp({
  interactions: new DynamoInteractionStore(documentClient(), env.interactionsTable),
  queues: new DynamoQueueStore(documentClient(), env.queuesTable, env.interactionsTable),
  now: () => new Date(),
});

/** The Lambda entry point. */
export const handler = handle(app);
