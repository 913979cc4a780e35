/**
 * SES feedback Lambda (issue 11 item 4): SQS batch of SES sending events that EventBridge routed
 * from Postroom's configuration set -> delivery events on the outbox record named by the send's
 * `outbox` tag, and suppressions for permanent bounces and complaints (core/outbound/ses-feedback.ts).
 * Partial batch responses: a record that fails (DynamoDB briefly unavailable, a malformed event)
 * is retried alone and ends in the feedback DLQ.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import type { SQSHandler, SQSRecord } from 'aws-lambda';
import { MalformedEventError, PostroomError } from '../core/errors.ts';
import { applySesFeedback, type SesFeedbackDeps } from '../core/outbound/ses-feedback.ts';
import { documentClient } from '../adapters/aws-clients.ts';
import { DynamoOutboxStore } from '../adapters/dynamodb/outbox-store.ts';
import { DynamoSuppressionStore } from '../adapters/dynamodb/suppression-store.ts';
import { sesFeedbackEnv } from '../adapters/env.ts';

const env = sesFeedbackEnv();
const logger = new Logger({ serviceName: 'postroom-ses-feedback' });
const deps: SesFeedbackDeps = {
  outbox: new DynamoOutboxStore(documentClient(), env.interactionsTable),
  suppressions: new DynamoSuppressionStore(documentClient(), env.interactionsTable),
};

function eventOf(record: SQSRecord): unknown {
  try {
    return JSON.parse(record.body);
  } catch (err) {
    throw new MalformedEventError('the feedback record body is not JSON', { cause: err });
  }
}

async function applyRecord(record: SQSRecord): Promise<void> {
  try {
    const feedback = await applySesFeedback(eventOf(record), deps);
    if (feedback.kind === 'ignored') logger.info('ignored', { sqsMessageId: record.messageId, reason: feedback.reason });
    else logger.info('applied', { sqsMessageId: record.messageId, outboxId: feedback.outboxId, events: feedback.events.length, suppressed: feedback.suppressions.length });
  } catch (err) {
    const code = err instanceof PostroomError ? err.code : 'unexpected';
    logger.error('record failed', { sqsMessageId: record.messageId, code, reason: (err as Error).message });
    throw err;
  }
}

// A processor per invocation: the local runtime's event source invokes concurrently.
export const handler: SQSHandler = (event, context) => processPartialResponse(event, applyRecord, new BatchProcessor(EventType.SQS), { context });
