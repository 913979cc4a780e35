/**
 * The sending routes' dependencies (issue 11 item 1) over DynamoDB, S3 and the outbound queue: the
 * outbox, the suppression list, the sending-domain check, the SMTP integrations, uploads and large
 * bodies, the conversation and the thread index. Shared by the API Lambdas (api-deps.ts, from
 * env), the local runtime (the same env) and the tests (their emulators' clients).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../contract/environment.ts';
import type { OutboundNotifier } from '../core/outbound/outbound-ports.ts';
import type { OutboundApiDeps } from './api/deps.ts';
import type { SignedS3 } from './aws/signed-request.ts';
import { S3OutboundFiles } from './content/outbound-files.ts';
import { DynamoConversationStore } from './dynamodb/conversation-store.ts';
import { DynamoDomainStore } from './dynamodb/domain-store.ts';
import { DynamoOutboxStore } from './dynamodb/outbox-store.ts';
import { smtpIntegrationStore } from './dynamodb/smtp-integration-store.ts';
import { DynamoSuppressionStore } from './dynamodb/suppression-store.ts';
import { DynamoThreadIndex } from './dynamodb/thread-index.ts';
import type { TablesEnv } from './env.ts';
import { CachedSendingDomains } from './outbound/sending-domains.ts';

/** Where sends go: the mail bucket (uploads, large bodies, composed messages) and the outbound queue. */
export interface OutboundApiEnv {
  readonly mailBucket: string;
  readonly outboundQueueUrl: string;
}

/**
 * MAIL_BUCKET and OUTBOUND_QUEUE_URL, or undefined when either is unset: that API is deployed
 * without sending and does not serve the sending routes (it answers 404, never a half-wired send).
 */
export function outboundApiEnv(source: NodeJS.ProcessEnv = process.env): OutboundApiEnv | undefined {
  const mailBucket = source[ENV.mailBucket]?.trim();
  const outboundQueueUrl = source[ENV.outboundQueueUrl]?.trim();
  return mailBucket && outboundQueueUrl ? { mailBucket, outboundQueueUrl } : undefined;
}

/**
 * The sending routes' deps over `tables`.
 * @param s3 signed S3 calls (presigned uploads, HEAD of an upload, large bodies)
 * @param notifier the outbound queue's notifier (SqsOutboundNotifier; a recording one in tests)
 * @param now the clock of upload URLs @default () => new Date()
 */
export function outboundApiDeps(
  doc: DynamoDBDocumentClient,
  tables: TablesEnv,
  mailBucket: string,
  s3: SignedS3,
  notifier: OutboundNotifier,
  now: () => Date = () => new Date(),
): OutboundApiDeps {
  return {
    outbox: new DynamoOutboxStore(doc, tables.interactionsTable),
    notifier,
    suppressions: new DynamoSuppressionStore(doc, tables.interactionsTable),
    sendingDomains: new CachedSendingDomains(new DynamoDomainStore(doc, tables.configTable)),
    integrations: smtpIntegrationStore(doc, tables.configTable),
    files: new S3OutboundFiles(s3, mailBucket, now),
    conversations: new DynamoConversationStore(doc, tables.interactionsTable),
    threads: new DynamoThreadIndex(doc, tables.interactionsTable),
    mailBucket,
  };
}
