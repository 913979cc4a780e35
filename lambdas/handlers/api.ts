/**
 * API Lambda: the HTTP API app behind API Gateway's HTTP API (IAM auth, payload format 2.0).
 * Wiring only: env is read and clients are created once per container. It imports no MIME
 * adapter, so its bundle carries no MIME parser.
 */
import { handle } from 'hono/aws-lambda';
import { createApiApp } from '../adapters/api/app.ts';
import { documentClient, s3Client } from '../adapters/aws-clients.ts';
import { S3MailContent } from '../adapters/content/s3-mail-content.ts';
import { DynamoAgentStore } from '../adapters/dynamodb/agent-store.ts';
import { DynamoConversationStore } from '../adapters/dynamodb/conversation-store.ts';
import { DynamoInteractionClaims } from '../adapters/dynamodb/interaction-claims.ts';
import { DynamoInteractionStore } from '../adapters/dynamodb/interaction-store.ts';
import { DynamoQueueStore } from '../adapters/dynamodb/queue-store.ts';
import { DynamoAddressRouteStore } from '../adapters/dynamodb/config-store.ts';
import { DynamoFlowStore } from '../adapters/dynamodb/flow-store.ts';
import { DynamoTemplateStore } from '../adapters/dynamodb/template-store.ts';
import { contentDeliveryEnv, domainsEnv, tablesEnv } from '../adapters/env.ts';

const env = tablesEnv();
const domains = domainsEnv();
const queues = new DynamoQueueStore(documentClient(), env.queuesTable, env.interactionsTable);

/** The app, exported so the handler's wiring can be exercised without API Gateway. */
export const app = createApiApp({
  interactions: new DynamoInteractionStore(documentClient(), env.interactionsTable),
  conversations: new DynamoConversationStore(documentClient(), env.interactionsTable),
  queues,
  now: () => new Date(),
  routingConfig: {
    addresses: new DynamoAddressRouteStore(documentClient(), env.configTable),
    flows: new DynamoFlowStore(documentClient(), env.configTable),
    templates: new DynamoTemplateStore(documentClient(), env.configTable),
    domains,
  },
  acd: {
    agents: new DynamoAgentStore(documentClient(), env.configTable),
    queueAdmin: queues,
    // one per container: its contention memory keeps concurrent `next` calls apart
    claims: new DynamoInteractionClaims(documentClient(), env.interactionsTable),
  },
  content: new S3MailContent(s3Client(), contentDeliveryEnv()),
});

/** The Lambda entry point. */
export const handler = handle(app);
