/**
 * The sender Lambda's wiring (env -> deps), in one place for the Lambda, the local runtime's
 * sender loop and the tests. The transports, composer, suppression list, SMTP integration
 * directory, rate limiter and VERP return path come from their own modules (issue 11's other
 * parts: smtpSenderPieces, SesTransport, S3OutboundComposer) and are passed in as `pieces`; one that is not wired yet makes a send fail loudly
 * (DeploymentError: released, retried, kept by the DLQ), never quietly.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../../contract/environment.ts';
import { DeploymentError } from '../../core/errors.ts';
import type { OutboundComposer, OutboundTransport, SendRateLimiter, SmtpIntegrationDirectory, SuppressionList } from '../../core/outbound/outbound-ports.ts';
import { fromAddressOf, type OutboundRoute, type OutboxRecord } from '../../core/outbound/outbox.ts';
import type { SendOutboxDeps } from '../../core/outbound/send-outbox.ts';
import { DynamoDomainStore } from '../dynamodb/domain-store.ts';
import { DynamoOutboxStore } from '../dynamodb/outbox-store.ts';
import { DynamoSuppressionStore } from '../dynamodb/suppression-store.ts';
import { read, tablesEnv, type TablesEnv } from '../env.ts';
import { sdkBatchCall, SqsOutboundNotifier } from './notifier.ts';
import { sqsSenderQueue, type SenderRun } from './sender-batch.ts';
import { CachedSendingDomains } from './sending-domains.ts';

/** The sender's environment, read once at cold start. */
export interface SenderEnv extends TablesEnv {
  readonly mailBucket: string;
  readonly outboundQueueUrl: string;
  readonly maxReceiveCount: number;
  /** SES_CONFIGURATION_SET: Postroom's configuration set (feedback events). @default none */
  readonly configurationSetName?: string;
  /** RETURN_PATH_DOMAIN: the bounce domain of the SMTP path's VERP return paths. @default none: the From address */
  readonly returnPathDomain?: string;
}

/**
 * Reads the sender's environment.
 * @throws Error naming the variable when one is missing or malformed
 */
export function senderEnv(source: NodeJS.ProcessEnv = process.env): SenderEnv {
  const required = (name: string) => read(name, source);
  const maxReceiveCount = Number(required(ENV.outboundMaxReceiveCount));
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1) throw new Error(`environment variable ${ENV.outboundMaxReceiveCount} must be a whole number >= 1`);
  const configurationSetName = source[ENV.sesConfigurationSet]?.trim();
  const returnPathDomain = source[ENV.returnPathDomain]?.trim().toLowerCase();
  return {
    ...tablesEnv(source),
    mailBucket: required(ENV.mailBucket),
    outboundQueueUrl: required(ENV.outboundQueueUrl),
    maxReceiveCount,
    ...(configurationSetName && { configurationSetName }),
    ...(returnPathDomain && { returnPathDomain }),
  };
}

/** The parts other modules provide; each missing one is a stand-in (see the file's comment). */
export interface SenderPieces {
  readonly transport?: OutboundTransport;
  readonly composer?: OutboundComposer;
  /** @default the `SUP#` items of the interactions table (DynamoSuppressionStore) */
  readonly suppressions?: SuppressionList;
  readonly integrations?: SmtpIntegrationDirectory;
  readonly rateLimiter?: SendRateLimiter;
  /** The envelope sender; @default the From address on SES, no SMTP return path (DeploymentError) */
  readonly returnPathFor?: (route: OutboundRoute, record: OutboxRecord) => string;
  /** @default SENDING_LEASE_MS */
  readonly leaseMs?: number;
}

const notWired = (what: string) => (): never => {
  throw new DeploymentError('outbound-not-wired', `the sender has no ${what} yet`);
};

/** The sender core's ports over the tables, with `pieces` where given. */
export function senderDeps(doc: DynamoDBDocumentClient, env: TablesEnv, pieces: SenderPieces = {}): SendOutboxDeps {
  return {
    outbox: new DynamoOutboxStore(doc, env.interactionsTable),
    sendingDomains: new CachedSendingDomains(new DynamoDomainStore(doc, env.configTable)),
    suppressions: pieces.suppressions ?? new DynamoSuppressionStore(doc, env.interactionsTable),
    // No SMTP pieces wired: SES only, no rate limit.
    integrations: pieces.integrations ?? { list: async () => [], setError: notWired('SMTP integration directory') },
    rateLimiter: pieces.rateLimiter ?? { acquire: async () => 0 },
    composer: pieces.composer ?? { compose: notWired('composer') },
    transport: pieces.transport ?? { send: notWired('transport') },
    returnPathFor: pieces.returnPathFor ?? ((route, record) => (route.kind === 'ses' ? fromAddressOf(record) : notWired('VERP return path')())),
    ...(pieces.leaseMs !== undefined && { leaseMs: pieces.leaseMs }),
  };
}

/** Everything one notice is processed with: the core's ports, the queue, the notifier for waits. */
export function senderRun(doc: DynamoDBDocumentClient, sqs: SQSClient, env: SenderEnv, pieces: SenderPieces = {}, clock?: () => Date): SenderRun {
  return {
    deps: senderDeps(doc, env, pieces),
    queue: sqsSenderQueue(sqs, env.outboundQueueUrl),
    notifier: new SqsOutboundNotifier(sdkBatchCall(sqs), env.outboundQueueUrl),
    maxReceiveCount: env.maxReceiveCount,
    ...(clock && { clock }),
  };
}
