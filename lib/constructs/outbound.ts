/**
 * The outbound stage (issue 11; ARCHITECTURE.md decision 8): the outbound queue of notices
 * `{ outboxId }` with its DLQ, and the sender Lambda that sends each outbox record once, through
 * SES (Postroom's configuration set) or a customer's SMTP server.
 */
import { Aws, Duration } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Grant } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../contract/environment.ts';
import { OUTBOUND_PREFIX, UPLOADS_PREFIX } from '../../contract/mail-bucket.ts';
import { BY_BUCKET_INDEX } from '../../contract/tables.ts';
import { grantObjectPrefix } from './acknowledgements.ts';
import type { IInteractionTables } from './interaction-tables.ts';
import type { IMailStore } from './mail-store.ts';
import { PostroomFunction, addEnvironmentEntries, handlerEntry } from './postroom-function.ts';
import { workQueue } from './work-queue.ts';

/**
 * Sizing and retries of the sender. A send composes up to 40 MB of MIME and hands it to SES or an
 * SMTP server: 512 MB and 60 s cover that; ten notices per invocation amortise the cold start.
 */
export const OUTBOUND_LIMITS = {
  timeout: Duration.seconds(60),
  memorySize: 512,
  batchSize: 10,
  /** A short wait fills batches under load without delaying a lone reply noticeably. */
  maxBatchingWindow: Duration.seconds(1),
  /** Six times the timeout, as AWS advises for an event source, so a slow batch is not redelivered meanwhile. */
  visibilityTimeout: Duration.minutes(6),
  /** Receives before the DLQ: with the sender's backoff (30 s doubling to 15 min) about 1.5 hours of retries. */
  maxReceiveCount: 10,
} as const;

export interface OutboundProps {
  /** The outbox records (interactions table), SMTP integrations and domains (config table). */
  readonly tables: IInteractionTables;
  /** Uploaded attachments (`uploads/`) and the sender's bodies and composed MIME (`outbound/`). */
  readonly mailStore: IMailStore;
  /** The SES configuration set every send names (built by the SES part). @default none: no set in the grant or the environment */
  readonly configurationSetName?: string;
  /**
   * The bounce domain of the SMTP path's VERP return paths (`bounces+<outboxId>@<domain>`, env
   * RETURN_PATH_DOMAIN). @default none: SMTP sends use the From address as MAIL FROM
   */
  readonly returnPathDomain?: string;
  /** Retention of the function's log group. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * The outbound queue (SQS-managed encryption, TLS only; DLQ kept 14 days) and the sender Lambda
 * (lambdas/handlers/sender.ts) it feeds with partial batch responses. The sender may read and
 * update single items of the interactions table, read the config table and update its items (an
 * integration's error state, a server's needs-reauth health), read `uploads/` and read
 * and write `outbound/`, send through SES on the deployment's identities (and its configuration
 * set), and read the mail servers' secrets (and put back the OAuth2 tokens it refreshes); nothing
 * more. `bindNotify` lets another function (routing, the API, the reconciler's sweep) announce
 * records on the queue; `bindSendApi` and `bindResumeHeld` add what the API and the registry need.
 */
export class Outbound extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly handler: PostroomFunction;
  /** At least one notice in the DLQ: a record the sender gave up on (its state says why). */
  readonly deadLetterAlarm: Alarm;
  private readonly tables: IInteractionTables;
  private readonly mailStore: IMailStore;

  constructor(scope: Construct, id: string, props: OutboundProps) {
    super(scope, id);
    this.tables = props.tables;
    this.mailStore = props.mailStore;
    const L = OUTBOUND_LIMITS;
    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue, deadLetterAlarm: this.deadLetterAlarm } = workQueue(this, {
      visibilityTimeout: L.visibilityTimeout,
      maxReceiveCount: L.maxReceiveCount,
      alarmDescription: 'The sender gave up on an outbound notice (see the outbox record: failed retries-exhausted, or uncertain).',
    }));
    this.handler = new PostroomFunction(this, 'Handler', {
      entry: handlerEntry('sender'),
      description: 'Postroom sender: outbox record -> SES or SMTP, once',
      timeout: L.timeout,
      memorySize: L.memorySize,
      ...(props.logRetention !== undefined && { logRetention: props.logRetention }),
      environment: {
        ...props.tables.environment(),
        ...props.mailStore.environment(),
        [ENV.outboundQueueUrl]: this.queue.queueUrl,
        [ENV.outboundMaxReceiveCount]: String(L.maxReceiveCount),
        ...(props.configurationSetName !== undefined && { [ENV.sesConfigurationSet]: props.configurationSetName }),
        ...(props.returnPathDomain !== undefined && { [ENV.returnPathDomain]: props.returnPathDomain }),
      },
    });
    props.tables.grantInteractionWrite(this.handler);
    props.tables.grantConfigRead(this.handler);
    // The SMTP integrations are the registry's SMTP servers, listed by a scan of the config table.
    props.tables.grantServedDomainsRead(this.handler);
    // An SMTP integration's error state (SMTPI#, which holds its sends) and an OAuth2 server's
    // needs-reauth health (SRV#) are single-item updates of the config table; nothing else is written there.
    Grant.addToPrincipal({ grantee: this.handler, actions: ['dynamodb:UpdateItem'], resourceArns: [props.tables.config.tableArn] });
    this.grantMail(props.mailStore);
    this.grantSend(props.configurationSetName);
    // Rate-limit waits hand on to a fresh notice on the last receive; backoffs change visibility.
    this.queue.grantSendMessages(this.handler);
    this.handler.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: L.batchSize, maxBatchingWindow: L.maxBatchingWindow, reportBatchItemFailures: true }),
    );
  }

  /**
   * Lets `grantee` announce outbox records on the outbound queue and tells it where the queue is
   * (OUTBOUND_QUEUE_URL): routing's acknowledgements, the API's sends, the reconciler's sweep.
   */
  bindNotify(grantee: PostroomFunction): Grant {
    grantee.function.addEnvironment(ENV.outboundQueueUrl, this.queue.queueUrl);
    return this.queue.grantSendMessages(grantee);
  }

  /**
   * Lets the agent API `grantee` serve the sending routes (api-deps.ts turns them on when MAIL_BUCKET
   * and OUTBOUND_QUEUE_URL are set): {@link bindNotify}, MAIL_BUCKET, s3:PutObject on `uploads/*`
   * (the presigned upload URLs carry the signer's rights) and `outbound/*` (large bodies
   * `outbound/<id>/text|html`), s3:GetObject on `uploads/*` (the HEAD that checks an upload). Its
   * DynamoDB rights are the API's own (InteractionTables.grantApiAccess).
   */
  bindSendApi(grantee: PostroomFunction): Grant {
    const bucket = this.mailStore.bucket;
    addEnvironmentEntries(grantee, this.mailStore.environment());
    grantObjectPrefix(
      { grantee, actions: ['s3:GetObject', 's3:PutObject'], resourceArns: [bucket.arnForObjects(`${UPLOADS_PREFIX}*`)] },
      'Attachments are uploaded per upload id under uploads/<uploadId> through URLs the API presigns, then checked with a HEAD; access is limited to that prefix.',
    );
    grantObjectPrefix(
      { grantee, actions: ['s3:PutObject'], resourceArns: [bucket.arnForObjects(`${OUTBOUND_PREFIX}*`)] },
      'Large bodies are stored per outbox record under outbound/<id>/; the API only writes that prefix.',
    );
    return this.bindNotify(grantee);
  }

  /**
   * Lets the admin (registry) `grantee` resume the sends an SMTP server held when a save resets it
   * (mail-server-service-env.ts): {@link bindNotify}, Query on the `byBucket` index (the held
   * records, `OUTHELD#<serverId>`) and UpdateItem on the interactions table (unhold); nothing more.
   */
  bindResumeHeld(grantee: PostroomFunction): Grant {
    const table = this.tables.interactions.tableArn;
    Grant.addToPrincipal({ grantee, actions: ['dynamodb:Query'], resourceArns: [`${table}/index/${BY_BUCKET_INDEX.name}`] });
    Grant.addToPrincipal({ grantee, actions: ['dynamodb:UpdateItem'], resourceArns: [table] });
    return this.bindNotify(grantee);
  }

  private grantMail(mailStore: IMailStore): void {
    const bucket = mailStore.bucket;
    grantObjectPrefix(
      { grantee: this.handler, actions: ['s3:GetObject'], resourceArns: [bucket.arnForObjects(`${UPLOADS_PREFIX}*`)] },
      'Attachments to send are uploaded under uploads/<uploadId>; the sender only reads that prefix.',
    );
    grantObjectPrefix(
      { grantee: this.handler, actions: ['s3:GetObject', 's3:PutObject'], resourceArns: [bucket.arnForObjects(`${OUTBOUND_PREFIX}*`)] },
      'Large bodies and the composed MIME are keyed per outbox record under outbound/; access is limited to that prefix.',
    );
  }

  private grantSend(configurationSetName: string | undefined): void {
    const arn = (resource: string) => `arn:${Aws.PARTITION}:${resource}`;
    const sesIn = `ses:${Aws.REGION}:${Aws.ACCOUNT_ID}`;
    const resources = [arn(`${sesIn}:identity/*`), ...(configurationSetName ? [arn(`${sesIn}:configuration-set/${configurationSetName}`)] : [])];
    grantObjectPrefix(
      { grantee: this.handler, actions: ['ses:SendEmail', 'ses:SendRawEmail'], resourceArns: resources },
      'Domains are added at runtime through the API, so their SES identities are not known at synth; sending is limited to this account and region.',
    );
    grantObjectPrefix(
      {
        grantee: this.handler,
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
        resourceArns: [arn(`secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:postroom/mail-servers/*`)],
      },
      "Every mail server's credentials are its own secret postroom/mail-servers/<id>, created at runtime; the sender reads only those and stores the OAuth2 tokens it refreshes there.",
    );
  }
}
