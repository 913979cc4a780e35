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
import { secretsManagerSecretStore } from '../adapters/mail-server-service-env.ts';
import { oauth2Wiring } from '../adapters/oauth2/oauth2-wiring.ts';
import { processNotice, RetryLater, type SenderRun } from '../adapters/outbound/sender-batch.ts';
import { senderEnv, senderRun } from '../adapters/outbound/sender-deps.ts';
import { senderWiring } from '../adapters/outbound/sender-wiring.ts';

const logger = new Logger({ serviceName: 'postroom-sender' });

/** The sender over `run` (the Lambda's below; the local runtime's with its own secrets file). */
export function senderHandler(run: SenderRun): SQSHandler {
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
  return (event, context) => processPartialResponse(event, sendRecord, new BatchProcessor(EventType.SQS), { context });
}

let lambdaHandler: SQSHandler | undefined;

/** The Lambda: wired from the environment at the first invocation, kept for the container's life (SMTP pools). */
export const handler: SQSHandler = (event, context, callback) => {
  if (!lambdaHandler) {
    const env = senderEnv();
    const doc = documentClient();
    // Mail server credentials: Secrets Manager, OAuth2 access tokens refreshed (and stored) when expired.
    const credentials = oauth2Wiring(doc, env.configTable, secretsManagerSecretStore()).credentials;
    const { pieces } = senderWiring(doc, s3Client(), env, { credentials });
    lambdaHandler = senderHandler(senderRun(doc, sqsClient(), env, pieces));
  }
  return lambdaHandler(event, context, callback);
};
