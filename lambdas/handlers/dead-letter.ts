/**
 * Dead-letter recorder Lambda: SQS batch from the inbound DLQ -> one durable dead letter each
 * (core/dead-letters.ts), then the DLQ message is deleted by the event source. Partial batch
 * responses: a record that cannot be recorded now stays in the DLQ and is retried alone.
 * A body that is not an inbound notification is recorded too, with the parse error as its reason.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { failureOf, recordDeadLetter, type DeadLetterInput } from '../core/dead-letters.ts';
import { transportKey } from '../core/message.ts';
import { documentClient, s3Client } from '../adapters/aws-clients.ts';
import { DynamoDeadLetterStore } from '../adapters/dynamodb/dead-letter-store.ts';
import { DynamoIngestFailures } from '../adapters/dynamodb/ingest-failures.ts';
import { deadLetterRecorderEnv } from '../adapters/env.ts';
import { S3DeadLetterBodies } from '../adapters/s3/dead-letter-bodies.ts';
import { parseSesNotification, receiptOf } from '../adapters/ses/notification.ts';

const env = deadLetterRecorderEnv();
const logger = new Logger({ serviceName: 'postroom-dead-letters' });
const deps = {
  store: new DynamoDeadLetterStore(documentClient(), env.interactionsTable),
  ledger: new DynamoIngestFailures(documentClient(), env.interactionsTable),
  bodies: new S3DeadLetterBodies(s3Client(), env.deadLetterBucket),
  now: () => new Date(),
};

/** The recorder's input from an SQS record: its transport key, or why it has none. */
function inputOf(record: SQSRecord): DeadLetterInput {
  const sent = Number(record.attributes.SentTimestamp);
  const base = {
    sqsMessageId: record.messageId,
    body: record.body,
    receiveCount: Number(record.attributes.ApproximateReceiveCount) || 1,
    ...(Number.isFinite(sent) && sent > 0 && { sentAt: new Date(sent).toISOString() }),
  };
  try {
    return { ...base, transportKey: transportKey(receiptOf(parseSesNotification(record.body)).transport) };
  } catch (err) {
    return { ...base, parseError: failureOf(err) };
  }
}

async function recordRecord(record: SQSRecord): Promise<void> {
  const input = inputOf(record);
  const result = await recordDeadLetter(input, deps);
  logger.warn('dead letter recorded', { sqsMessageId: record.messageId, result, transportKey: input.transportKey });
}

// A processor per invocation: it holds the batch's state, and the local runtime's event source
// invokes concurrently (a shared one answered one batch with another's failures, losing records).
export const handler = (event: SQSEvent, context: Context) =>
  processPartialResponse(event, recordRecord, new BatchProcessor(EventType.SQS), { context });
