/**
 * The HTTP API's dependencies wired over the AWS adapters: one place for both API Lambdas.
 * Clients are created once per container (aws-clients.ts); env is read when called.
 */
import type { ApiDeps } from './api/deps.ts';
import { documentClient, signedS3, signedSqs } from './aws-clients.ts';
import { SignedDeadLetterBodies, SignedInboundRequeue } from './aws/signed-dead-letter-io.ts';
import { DynamoDeadLetterStore } from './dynamodb/dead-letter-store.ts';
import { DynamoIngestFailures } from './dynamodb/ingest-failures.ts';
import { S3MailContent } from './content/s3-mail-content.ts';
import { DynamoAgentStore } from './dynamodb/agent-store.ts';
import { DynamoConversationStore } from './dynamodb/conversation-store.ts';
import { DynamoInteractionClaims } from './dynamodb/interaction-claims.ts';
import { DynamoInteractionStore } from './dynamodb/interaction-store.ts';
import { DynamoQueueStore } from './dynamodb/queue-store.ts';
import { DynamoAddressRouteStore } from './dynamodb/config-store.ts';
import { DynamoFlowStore } from './dynamodb/flow-store.ts';
import { DynamoTemplateStore } from './dynamodb/template-store.ts';
import { contentDeliveryEnv, domainsEnv, redriveEnv, tablesEnv } from './env.ts';

/**
 * The API's stores over DynamoDB and S3, from the Lambda environment (read once per container).
 * Both API Lambdas (handlers/api.ts, handlers/flow-api.ts) are wired with these.
 */
export function apiDeps(): ApiDeps {
  const env = tablesEnv();
  const domains = domainsEnv();
  const queues = new DynamoQueueStore(documentClient(), env.queuesTable, env.interactionsTable);
  const redrive = redriveEnv();
  const deadLetters = new DynamoDeadLetterStore(documentClient(), env.interactionsTable);
  return {
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
    content: new S3MailContent(signedS3(), contentDeliveryEnv()),
    deadLetters: {
      store: deadLetters,
      ...(redrive && {
        redrive: {
          store: deadLetters,
          ledger: new DynamoIngestFailures(documentClient(), env.interactionsTable),
          bodies: new SignedDeadLetterBodies(signedS3(), redrive.deadLetterBucket),
          requeue: new SignedInboundRequeue(signedSqs(), redrive.inboundQueueUrl),
          now: () => new Date(),
        },
      }),
    },
  };
}

