/**
 * Sender Lambda (issue 11): SQS batch of outbound notices `{ outboxId }` -> one send attempt each
 * through the outbox (sendOutbox). Reads like a table of contents: process each notice, report
 * the ones to retry per record (ReportBatchItemFailures), their visibility already set to the
 * backoff or the wait (sender-batch.ts).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSHandler, SQSRecord } from 'aws-lambda';
import { PostroomError } from '../core/errors.ts';
import { documentClient, s3Client, sqsClient } from '../adapters/aws-clients.ts';
import { S3OutboundComposer } from '../adapters/mime/compose-outbound.ts';
import { processNotice, RetryLater } from '../adapters/outbound/sender-batch.ts';
import { senderEnv, senderRun } from '../adapters/outbound/sender-deps.ts';

const env = senderEnv();
const logger = new Logger({ serviceName: 'postroom-sender' });
// The transports and SMTP pieces are wired here as their modules land (issue 11).
const run = senderRun(documentClient(), sqsClient(), env, { composer: new S3OutboundComposer(s3Client(), { bucket: env.mailBucket }) });

async function sendRecord(record: SQSRecord): Promise<void> {
  try {
    const outcome = await processNotice(record, run);
    logger.info('notice processed', { sqsMessageId: record.messageId, outcome: outcome.kind });
  } catch (err) {
    if (err instanceof RetryLater) logger.info('retry later', { sqsMessageId: record.messageId, outboxId: err.outboxId, seconds: err.seconds, why: err.why });
    else logger.error('notice failed', { sqsMessageId: record.messageId, code: err instanceof PostroomError ? err.code : 'unexpected', reason: (err as Error).message });
    throw err;
  }
}

// A processor per invocation: it holds the batch's state (see handlers/routing.ts).
export const handler: SQSHandler = (event, context) => processPartialResponse(event, sendRecord, new BatchProcessor(EventType.SQS), { context });
