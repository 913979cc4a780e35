/**
 * API Lambda: the HTTP API app behind API Gateway's HTTP API (IAM auth, payload format 2.0).
 * Wiring only: env is read and clients are created once per container. It imports no MIME
 * adapter, so its bundle carries no MIME parser.
 */
import { handle } from 'hono/aws-lambda';
import { createApiApp } from '../adapters/api/app.ts';
import { documentClient, s3Client, sqsClient } from '../adapters/aws-clients.ts';
import { DynamoDeadLetterStore } from '../adapters/dynamodb/dead-letter-store.ts';
import { DynamoIngestFailures } from '../adapters/dynamodb/ingest-failures.ts';
import { S3DeadLetterBodies } from '../adapters/s3/dead-letter-bodies.ts';
import { SqsInboundRequeue } from '../adapters/sqs/inbound-queue.ts';
import { DynamoAgentStore } from '../adapters/dynamodb/agent-store.ts';
import { DynamoConversationStore } from '../adapters/dynamodb/conversation-store.ts';
import { DynamoInteractionClaims } from '../adapters/dynamodb/interaction-claims.ts';
import { DynamoInteractionStore } from '../adapters/dynamodb/interaction-store.ts';
import { DynamoQueueStore } from '../adapters/dynamodb/queue-store.ts';
import { DynamoAddressRouteStore } from '../adapters/dynamodb/config-store.ts';
import { DynamoFlowStore } from '../adapters/dynamodb/flow-store.ts';
import { DynamoTemplateStore } from '../adapters/dynamodb/template-store.ts';
import { domainsEnv, redriveEnv, tablesEnv } from '../adapters/env.ts';

const env = tablesEnv();
const domains = domainsEnv();
const redrive = redriveEnv();
const deadLetters = new DynamoDeadLetterStore(documentClient(), env.interactionsTable);
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
  deadLetters: {
    store: deadLetters,
    ...(redrive && {
      redrive: {
        store: deadLetters,
        ledger: new DynamoIngestFailures(documentClient(), env.interactionsTable),
        bodies: new S3DeadLetterBodies(s3Client(), redrive.deadLetterBucket),
        requeue: new SqsInboundRequeue(sqsClient(), redrive.inboundQueueUrl),
        now: () => new Date(),
      },
    }),
  },
});

/** The Lambda entry point. */
export const handler = handle(app);
