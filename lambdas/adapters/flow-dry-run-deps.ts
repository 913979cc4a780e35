/**
 * The flow dry run's wiring over DynamoDB (issue 12 item 4): routing's settings from the
 * environment (the admin API Lambda and the local runtime have them as routing does), the same
 * language detector, and the thread index for read-only look-ups. Why apart from api-deps.ts: the
 * language detector stays out of the agent API Lambda's bundle, as flow validation does.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { FlowDryRunApiDeps } from './api/deps.ts';
import { DynamoThreadIndex } from './dynamodb/thread-index.ts';
import { routingSettingsEnv } from './env.ts';
import { languageDetector } from './language/detect.ts';

/**
 * The dry run's deps from `source`; undefined (the route is not served) when DEFAULT_QUEUE_ID is
 * unset, since a dry run without routing's defaults would answer differently than routing.
 */
export function flowDryRunFromEnv(doc: DynamoDBDocumentClient, interactionsTable: string, source: NodeJS.ProcessEnv = process.env): FlowDryRunApiDeps | undefined {
  const env = routingSettingsEnv(source);
  if (!env) return undefined;
  const windowDays = env.threadWindowDays;
  return {
    settings: { defaultQueueId: env.defaultQueueId, defaultPriority: env.defaultPriority },
    detectLanguage: languageDetector(env.languages),
    threads: new DynamoThreadIndex(doc, interactionsTable, windowDays !== undefined ? { windowDays } : {}),
    ...(windowDays !== undefined && { threadWindowDays: windowDays }),
  };
}
