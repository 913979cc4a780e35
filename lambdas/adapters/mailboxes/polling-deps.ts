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
import { storedCredentialSource } from '../oauth2/credential-source.ts';
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

/** The dispatcher's wiring: the registry and the queues. */
export function dispatcherDeps(env: DispatcherEnv, sqs: SQSClient = sqsClient()): DispatchDeps {
  return { servers: mailServerStore(env.configTable), queue: new SqsPollJobQueue(sqs, env.pollJobQueueUrl, env.pollTickQueueUrl) };
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
