/**
 * The sender in the local runtime (issue 11 item 7): the outbound queue and its DLQ on fauxqs,
 * the sender Lambda's own handler consuming it (as routing's loop does the inbound queue), and
 * the outbox sweep on a timer, as the reconciler runs it in AWS.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { FauxqsServer } from 'fauxqs';
import { ENV } from '../../contract/environment.ts';
import { documentClient, s3Client } from '../adapters/aws-clients.ts';
import { senderEnv, senderRun } from '../adapters/outbound/sender-deps.ts';
import { senderWiring } from '../adapters/outbound/sender-wiring.ts';
import type { CredentialSource } from '../core/mailboxes/connection.ts';
import { DynamoOutboxStore } from '../adapters/dynamodb/outbox-store.ts';
import { sdkBatchCall, SqsOutboundNotifier } from '../adapters/outbound/notifier.ts';
import { sweepOutbox } from '../core/outbound/outbox-sweep.ts';
import { startEventSource, type SqsHandler } from './event-source.ts';

export const LOCAL_OUTBOUND_QUEUES = { queue: 'postroom-outbound', dlq: 'postroom-outbound-dlq' } as const;
/** As in the deployed stack (OUTBOUND_LIMITS.maxReceiveCount): receives before the DLQ. */
const LOCAL_OUTBOUND_MAX_RECEIVES = 10;
/** A failed notice (no visibility change: a crash) is back after this; short, for a quick local loop. */
const LOCAL_OUTBOUND_VISIBILITY_S = 30;
/** How often the local sweep runs: every minute, so a lost notice is found about five minutes later. */
const LOCAL_SWEEP_INTERVAL_MS = 60_000;

export interface OutboundQueues {
  readonly url: string;
  readonly arn: string;
  readonly dlqUrl: string;
}

/**
 * Creates the outbound queue and DLQ and sets OUTBOUND_QUEUE_URL and OUTBOUND_MAX_RECEIVE_COUNT
 * (the variables the Outbound construct sets), before any handler that notifies is imported.
 */
export function createOutboundQueues(fauxqs: FauxqsServer): OutboundQueues {
  const dlq = fauxqs.createQueue(LOCAL_OUTBOUND_QUEUES.dlq, { attributes: { MessageRetentionPeriod: '1209600' } });
  const queue = fauxqs.createQueue(LOCAL_OUTBOUND_QUEUES.queue, {
    attributes: {
      VisibilityTimeout: String(LOCAL_OUTBOUND_VISIBILITY_S),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: LOCAL_OUTBOUND_MAX_RECEIVES }),
    },
  });
  Object.assign(process.env, { [ENV.outboundQueueUrl]: queue.queueUrl, [ENV.outboundMaxReceiveCount]: String(LOCAL_OUTBOUND_MAX_RECEIVES) });
  return { url: queue.queueUrl, arn: queue.queueArn, dlqUrl: dlq.queueUrl };
}

export interface SenderLoopOptions {
  readonly sqs: SQSClient;
  readonly region: string;
  readonly queues: OutboundQueues;
  readonly interactionsTable: string;
  readonly log: (line: string) => void;
  /** The registry's credentials (the local secrets file), for SMTP integrations. */
  readonly credentials: CredentialSource;
  /** Extra trusted CA certificates in PEM for customer SMTP servers (`dev --mail-ca`). */
  readonly mailCa?: readonly string[];
  /** @default LOCAL_SWEEP_INTERVAL_MS */
  readonly sweepIntervalMs?: number;
}

export interface SenderLoop {
  stop(): Promise<void>;
}

/** Starts the sender's consumer and the sweep timer; needs the handler environment configured. */
export async function startSenderLoop(o: SenderLoopOptions): Promise<SenderLoop> {
  const { senderHandler } = await import('../handlers/sender.ts');
  // The Lambda's own handler and wiring, with the local secrets file's credentials.
  const env = senderEnv();
  const doc = documentClient();
  const wiring = senderWiring(doc, s3Client(), env, { credentials: o.credentials, ...(o.mailCa?.length && { connect: { ca: [...o.mailCa] } }) });
  const lambda = senderHandler(senderRun(doc, o.sqs, env, wiring.pieces));
  const sender: { handler: SqsHandler } = { handler: async (event, context) => (await lambda(event, context, () => {})) ?? undefined };
  const events = startEventSource({
    sqs: o.sqs,
    queueUrl: o.queues.url,
    queueArn: o.queues.arn,
    region: o.region,
    handler: sender.handler,
    afterBatch: async ({ failed }) => {
      if (failed > 0) log(`sender: ${failed} notice(s) wait for a retry (node bin/postroom.mjs outbox list)`);
    },
    onError: (err) => o.log(`sender poller: ${err.message}`),
  });
  const log = o.log;
  const store = new DynamoOutboxStore(documentClient(), o.interactionsTable);
  const notifier = new SqsOutboundNotifier(sdkBatchCall(o.sqs), o.queues.url);
  let sweeping: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    sweeping = sweeping
      .then(() => sweepOutbox(store, notifier, new Date()))
      .then(
        (r) => r.renotified + r.uncertain > 0 && log(`outbox sweep: ${r.renotified} announced again, ${r.uncertain} uncertain`),
        (err: Error) => log(`outbox sweep failed: ${err.message}`),
      );
  }, o.sweepIntervalMs ?? LOCAL_SWEEP_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await sweeping;
      await events.stop();
      wiring.smtp.close();
    },
  };
}

/** What an SMTP server's reset (OUT-5) resumes locally: its held sends, announced on the outbound queue. */
export function localSmtpResume(sqs: SQSClient, queueUrl: string, interactionsTable: string): { outbox: DynamoOutboxStore; notifier: SqsOutboundNotifier } {
  return { outbox: new DynamoOutboxStore(documentClient(), interactionsTable), notifier: new SqsOutboundNotifier(sdkBatchCall(sqs), queueUrl) };
}
