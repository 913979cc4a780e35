/**
 * What the local runtime sets up before any handler runs: the tables the deployed stack has, and
 * the environment the CDK constructs set in AWS (so the very same handlers run locally).
 */
import { CreateTableCommand, ListTablesCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ENV } from '../../contract/environment.ts';
import { createTableInputs } from '../adapters/dynamodb/schema.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './services.ts';

/** Names of the local resources; CDK generates these in AWS, the runtime fixes them locally. */
export const LOCAL_RESOURCES = {
  interactionsTable: 'postroom-interactions',
  queuesTable: 'postroom-queues',
  configTable: 'postroom-config',
  mailBucket: 'postroom-mail',
  inboundTopic: 'postroom-inbound',
  inboundQueue: 'postroom-inbound',
  inboundDlq: 'postroom-inbound-dlq',
} as const;
export type LocalResources = typeof LOCAL_RESOURCES;

/** Creates the local tables the deployed stack has, leaving existing ones (a restart keeps its data). */
export async function createTables(client: DynamoDBClient): Promise<void> {
  const existing = new Set((await client.send(new ListTablesCommand({}))).TableNames ?? []);
  const inputs = createTableInputs({
    interactions: LOCAL_RESOURCES.interactionsTable,
    queues: LOCAL_RESOURCES.queuesTable,
    config: LOCAL_RESOURCES.configTable,
  });
  for (const input of inputs) {
    if (!existing.has(input.TableName)) await client.send(new CreateTableCommand(input));
  }
}

/** Sets exactly the variables the CDK constructs set in AWS, plus the SDK's endpoint overrides. */
export function configureHandlerEnvironment(c: {
  dynamodb: string;
  s3: string;
  fauxqs: string;
  defaultQueueId: string;
  defaultPriority: number;
  languages?: readonly string[];
  verbose: boolean;
}): void {
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: c.dynamodb,
    AWS_ENDPOINT_URL_S3: c.s3,
    AWS_ENDPOINT_URL_SQS: c.fauxqs,
    AWS_ENDPOINT_URL_SNS: c.fauxqs,
    POWERTOOLS_LOG_LEVEL: c.verbose ? 'INFO' : 'WARN',
    [ENV.interactionsTable]: LOCAL_RESOURCES.interactionsTable,
    [ENV.queuesTable]: LOCAL_RESOURCES.queuesTable,
    [ENV.configTable]: LOCAL_RESOURCES.configTable,
    [ENV.mailBucket]: LOCAL_RESOURCES.mailBucket,
    [ENV.defaultQueueId]: c.defaultQueueId,
    [ENV.defaultPriority]: String(c.defaultPriority),
    ...(c.languages && { [ENV.languages]: c.languages.join(',') }),
    // No S3 to presign for: the API streams stored mail itself.
    [ENV.contentDelivery]: 'stream',
  });
}
