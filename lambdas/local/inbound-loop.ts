/**
 * The local inbound path's queues and consumers, as the deployed stack has them: the SNS topic SES
 * notifies, the inbound queue subscribed to it with a DLQ after {@link MAX_RECEIVE_COUNT} receives,
 * the routing handler reading the queue and the dead-letter handler recording what the DLQ holds.
 */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { FauxqsServer } from 'fauxqs';
import { startEventSource, type SqsHandler } from './event-source.ts';
import type { LocalResources } from './handler-environment.ts';
import { LOCAL_REGION } from './services.ts';

/** Visibility timeout of the local inbound queue: a failed record is retried after this. */
const LOCAL_VISIBILITY_TIMEOUT_S = 10;
/** As in the deployed stack: after this many receives a record moves to the DLQ. */
export const MAX_RECEIVE_COUNT = 5;

/** A queue's URL and ARN, as fauxqs creates it. */
export interface LocalQueue {
  readonly queueUrl: string;
  readonly queueArn: string;
}

/** The inbound queue, its DLQ and the topic feeding it. */
export interface InboundQueues {
  readonly inbound: LocalQueue;
  readonly dlq: LocalQueue;
  readonly topicArn: string;
}

/**
 * Creates the topic, the inbound queue (raw delivery from the topic) and its DLQ (14 days' retention).
 * @default visibilityTimeoutSeconds 10
 */
export function createInboundQueues(server: FauxqsServer, r: LocalResources, visibilityTimeoutSeconds = LOCAL_VISIBILITY_TIMEOUT_S): InboundQueues {
  const dlq = server.createQueue(r.inboundDlq, { attributes: { MessageRetentionPeriod: '1209600' } });
  const inbound = server.createQueue(r.inboundQueue, {
    attributes: {
      VisibilityTimeout: String(visibilityTimeoutSeconds),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: MAX_RECEIVE_COUNT }),
    },
  });
  const { topicArn } = server.createTopic(r.inboundTopic);
  server.subscribe({ topic: r.inboundTopic, queue: r.inboundQueue, attributes: { RawMessageDelivery: 'true' } });
  return { inbound, dlq, topicArn };
}

/**
 * Starts the routing handler on the inbound queue and the dead-letter handler (one at a time) on
 * its DLQ. Import the routing handler only after the handler environment is configured: it reads
 * its configuration at import, as in Lambda.
 */
export async function startInboundConsumers(o: { sqs: SQSClient; queues: InboundQueues; routing: SqsHandler; log: (line: string) => void }): Promise<{ stop(): Promise<void> }> {
  const { sqs, queues, log } = o;
  const events = startEventSource({
    sqs,
    queueUrl: queues.inbound.queueUrl,
    queueArn: queues.inbound.queueArn,
    region: LOCAL_REGION,
    handler: o.routing,
    afterBatch: async ({ failed }) => {
      if (failed > 0) log(`routing: ${failed} record(s) failed and will be retried (DLQ after ${MAX_RECEIVE_COUNT} attempts)`);
    },
    onError: (err) => log(`routing poller: ${err.message}`),
  });
  const deadLetters = (await import('../handlers/dead-letter.ts')) as { handler: SqsHandler };
  const recorder = startEventSource({
    sqs,
    queueUrl: queues.dlq.queueUrl,
    queueArn: queues.dlq.queueArn,
    region: LOCAL_REGION,
    handler: deadLetters.handler,
    concurrency: 1,
    afterBatch: async ({ records, failed }) => {
      log(`dead letters: ${records - failed} recorded (node bin/postroom.mjs dead-letter list)`);
    },
    onError: (err) => log(`dead-letter poller: ${err.message}`),
  });
  return {
    async stop() {
      await events.stop();
      await recorder.stop();
    },
  };
}
