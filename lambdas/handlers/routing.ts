/**
 * Routing Lambda: SQS batch of SES receipt notifications -> one outcome each (queued, attached to
 * its conversation, disconnected, set aside, or quarantined). Reads like a table of contents:
 * validate the record, ingest through core, report failures per record so one bad record never
 * blocks the batch (ReportBatchItemFailures).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSHandler, SQSRecord } from 'aws-lambda';
import { PostroomError } from '../core/errors.ts';
import { ingest } from '../core/ingest.ts';
import { transportKey } from '../core/message.ts';
import { documentClient, s3Client } from '../adapters/aws-clients.ts';
import { DynamoIngestFailures, recordIngestFailure } from '../adapters/dynamodb/ingest-failures.ts';
import { routingEnv } from '../adapters/env.ts';
import { ingestDeps } from '../adapters/ingest-deps.ts';
import { receiptOfInboundRecord } from '../adapters/ses/recovery-record.ts';

const env = routingEnv();
const logger = new Logger({ serviceName: 'postroom-routing' });
const deps = ingestDeps(documentClient(), s3Client(), env);
const failures = new DynamoIngestFailures(documentClient(), env.interactionsTable);

async function routeRecord(record: SQSRecord): Promise<void> {
  let key: string | undefined;
  try {
    const receipt = receiptOfInboundRecord(record.body);
    key = transportKey(receipt.transport);
    const outcome = await ingest(receipt, deps);
    logger.info('ingested', { sqsMessageId: record.messageId, ...outcome });
  } catch (err) {
    const code = err instanceof PostroomError ? err.code : 'unexpected';
    logger.error('record failed', { sqsMessageId: record.messageId, code, reason: (err as Error).message });
    // The reason the dead-letter recorder shows if this record exhausts its retries; best effort.
    const notRecorded = key !== undefined ? await recordIngestFailure(failures, key, err, new Date()) : undefined;
    if (notRecorded) logger.warn('failure not recorded on the ledger', { sqsMessageId: record.messageId, reason: notRecorded.message });
    throw err;
  }
}

// A processor per invocation: it holds the batch's state, and the local runtime's event source
// invokes concurrently (a shared one answered one batch with another's failures, losing records).
export const handler: SQSHandler = (event, context) =>
  processPartialResponse(event, routeRecord, new BatchProcessor(EventType.SQS), { context });
