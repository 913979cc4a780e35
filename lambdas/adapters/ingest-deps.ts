/**
 * Wires core's ingest to its DynamoDB and S3 adapters, in one place for the routing Lambda, the
 * local runtime (which runs that Lambda's module) and the tests and benchmarks that drive ingest
 * directly against local servers.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AttachmentListClaimCheck } from './claim-check/attachment-list.ts';
import { DynamoAckLimiter } from './dynamodb/ack-limiter.ts';
import { DynamoAddressRouteStore } from './dynamodb/config-store.ts';
import { DynamoConversationStore } from './dynamodb/conversation-store.ts';
import { DynamoFlowStore } from './dynamodb/flow-store.ts';
import { DynamoIngestLedger } from './dynamodb/ingest-ledger.ts';
import { DynamoInteractionStore } from './dynamodb/interaction-store.ts';
import { DynamoSearchIndex, withSearchIndex } from './dynamodb/search-index.ts';
import { DynamoOutboxStore } from './dynamodb/outbox-store.ts';
import { DynamoQueueStore } from './dynamodb/queue-store.ts';
import { DynamoTemplateStore } from './dynamodb/template-store.ts';
import { DynamoThreadIndex } from './dynamodb/thread-index.ts';
import { languageDetector } from './language/detect.ts';
import { S3MessageParser } from './mime/s3-message-parser.ts';
import { CachedRoutingConfigSource } from './config/routing-config-source.ts';
import { CachedServedDomains } from './config/served-domains.ts';
import { DynamoDomainStore } from './dynamodb/domain-store.ts';
import type { RoutingEnv } from './env.ts';
import { sqsClient } from './aws-clients.ts';
import { sdkBatchCall, SqsOutboundNotifier } from './outbound/notifier.ts';
import { DynamoSuppressionStore } from './dynamodb/suppression-store.ts';
import { verpBounceDeps } from './smtp/verp-bounce-wiring.ts';
import type { ServedDomains } from '../core/domains/domain.ts';
import type { IngestDeps } from '../core/ingest-ports.ts';

/**
 * What the ingest dependencies are wired from: the routing Lambda's environment (adapters/env.ts),
 * or the same values from the local runtime and tests; `servedDomains` replaces the cached domain
 * list of the config table (a test's clock, a log).
 */
export interface IngestWiring extends RoutingEnv {
  readonly servedDomains?: ServedDomains;
}

/** The ingest dependencies over real DynamoDB tables and an S3 bucket; served domains from the config table, cached (served-domains.ts). */
export function ingestDeps(doc: DynamoDBDocumentClient, s3: S3Client, w: IngestWiring, now: () => Date = () => new Date()): IngestDeps {
  const windowDays = w.threadWindowDays;
  return {
    ledger: new DynamoIngestLedger(doc, w.interactionsTable),
    // Every new interaction gets its search entries (sender, day and subject; core/search.ts).
    interactions: withSearchIndex(new DynamoInteractionStore(doc, w.interactionsTable), new DynamoSearchIndex(doc, w.interactionsTable)),
    queues: new DynamoQueueStore(doc, w.queuesTable, w.interactionsTable),
    parser: new AttachmentListClaimCheck(new S3MessageParser(s3, w.mailBucket), s3, w.mailBucket),
    settings: { defaultQueueId: w.defaultQueueId, defaultPriority: w.defaultPriority },
    servedDomains: w.servedDomains ?? new CachedServedDomains(new DynamoDomainStore(doc, w.configTable)),
    routing: {
      config: new CachedRoutingConfigSource(
        new DynamoAddressRouteStore(doc, w.configTable),
        new DynamoFlowStore(doc, w.configTable),
        new DynamoTemplateStore(doc, w.configTable),
      ),
      conversations: new DynamoConversationStore(doc, w.interactionsTable),
      threads: new DynamoThreadIndex(doc, w.interactionsTable, windowDays !== undefined ? { windowDays } : {}),
      ackLimiter: new DynamoAckLimiter(doc, w.interactionsTable),
      outbox: new DynamoOutboxStore(doc, w.interactionsTable),
      ...(w.outboundQueueUrl && { notifier: new SqsOutboundNotifier(sdkBatchCall(sqsClient()), w.outboundQueueUrl) }),
      // Bounces of the SMTP path come back to VERP addresses on the bounce domain (issue 11 item 5).
      ...(w.returnPathDomain && {
        verpBounces: verpBounceDeps(s3, {
          returnPathDomain: w.returnPathDomain,
          outbox: new DynamoOutboxStore(doc, w.interactionsTable),
          suppressions: new DynamoSuppressionStore(doc, w.interactionsTable),
        }),
      }),
      detectLanguage: languageDetector(w.languages),
      ...(windowDays !== undefined && { threadWindowDays: windowDays }),
    },
    now,
  };
}
