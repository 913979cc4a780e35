/**
 * What the dispatcher and the poller are wired with, built from their environment: the mail
 * server registry (config table), the credentials (stored password or OAuth2 token), the pollers
 * (IMAP, POP3) with where mail goes, the poll-job queues and the event bus. The handlers and the
 * local runtime use the same builders, so both run the same wiring.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { CredentialSource } from '../../core/mailboxes/connection.ts';
import type { DispatchDeps } from '../../core/mailboxes/dispatch-polls.ts';
import type { MailServerEventSink } from '../../core/mailboxes/poll-health.ts';
import type { PollJobDeps } from '../../core/mailboxes/poll-job.ts';
import { documentClient, s3Client, sqsClient } from '../aws-clients.ts';
import { DynamoMailServerStore } from '../dynamodb/mail-server-store.ts';
import { EventBridgeMailServerEvents } from '../events/mail-server-events.ts';
import { secretsManagerSecretStore } from '../mail-server-service-env.ts';
import type { MailServer, SecretStore } from '../../core/mailboxes/server.ts';
import { refreshIdleTokens, storedCredentialSource } from '../oauth2/credential-source.ts';
import { emitSecretExpiryWarnings, eventBridgeSecretExpiringPublisher, type SecretExpiringPublisher } from '../oauth2/secret-expiry-events.ts';
import { createTokenClient } from '../oauth2/token-client.ts';
import type { DispatcherEnv, PollerEnv } from './polling-env.ts';
import { pollServer, type PollWiring } from './poll-server.ts';
import { SqsPollJobQueue } from './sqs-poll-jobs.ts';

/** Options of the poller's wiring. */
export interface PollerWiringOptions {
  /** Extra trusted CA certificates in PEM (the local runtime's self-signed mail servers). @default the system's */
  readonly ca?: readonly string[];
  /** Where events go. @default EventBridge on `env.eventBusName` */
  readonly events?: MailServerEventSink;
  /** The credentials (the local runtime's registry has its own secrets file). @default the stored credentials in Secrets Manager */
  readonly credentials?: CredentialSource;
}

/** Options of the dispatcher's wiring (the local runtime's own secrets file and log). */
export interface DispatcherWiringOptions {
  /** @default Secrets Manager */
  readonly secrets?: SecretStore;
  /** Where `Mail Server Secret Expiring` events go. @default EventBridge on `env.eventBusName` */
  readonly publishExpiring?: SecretExpiringPublisher;
}

/**
 * The dispatcher's wiring: the registry, the queues, and the hourly OAuth2 housekeeping (refresh
 * tokens idle for long are refreshed before Microsoft's 90-day expiry; client secrets about to
 * expire are announced).
 */
export function dispatcherDeps(env: DispatcherEnv, sqs: SQSClient = sqsClient(), options: DispatcherWiringOptions = {}): DispatchDeps {
  const servers = mailServerStore(env.configTable);
  const housekeeping = async (list: readonly MailServer[], now: Date): Promise<void> => {
    const oauth2 = list.filter((s) => s.authType === 'oauth2');
    if (oauth2.length === 0) return;
    const secrets = options.secrets ?? secretsManagerSecretStore();
    await refreshIdleTokens(oauth2, { secrets, tokens: createTokenClient(), now: () => now, servers });
    const publish = options.publishExpiring ?? eventBridgeSecretExpiringPublisher(new EventBridgeClient({}), env.eventBusName ?? 'default');
    await emitSecretExpiryWarnings(oauth2, { secrets, publish, now: () => now });
  };
  return { servers, queue: new SqsPollJobQueue(sqs, env.pollJobQueueUrl, env.pollTickQueueUrl), housekeeping };
}

/** The poller's wiring: the registry, the credentials, the pollers and the event bus. */
export function pollerDeps(env: PollerEnv, options: PollerWiringOptions = {}): PollJobDeps {
  const wiring: PollWiring = {
    s3: s3Client(),
    sqs: sqsClient(),
    doc: documentClient(),
    mailBucket: env.mailBucket,
    inboundQueueUrl: env.inboundQueueUrl,
    configTable: env.configTable,
    interactionsTable: env.interactionsTable,
    ...(options.ca && { connect: { ca: options.ca } }),
  };
  return {
    servers: mailServerStore(env.configTable),
    // The poll job records a refused grant as needs-reauth itself (and announces it), so no store here.
    credentials: options.credentials ?? storedCredentialSource(secretsManagerSecretStore(), createTokenClient()),
    poll: (server, credentials, budget) => pollServer(server, credentials, wiring, { deadline: budget.deadline.getTime() }),
    events: options.events ?? new EventBridgeMailServerEvents(new EventBridgeClient({}), env.eventBusName),
  };
}

/** The registry's store on the config table (SRV#<id> items; health written apart from the settings). */
function mailServerStore(configTable: string): DynamoMailServerStore {
  return new DynamoMailServerStore(documentClient(), configTable);
}
