/**
 * The routing handler under concurrent invocations, as the local runtime's event source (two
 * pollers) calls it: each invocation must report its own failed records, or a failed record is
 * deleted as done and lost before it could reach the DLQ.
 */
import { describe, expect, it } from 'vitest';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { sqsEvent, sqsRecord } from '../../support/factories.ts';
import { invokeSqsHandler } from '../../support/sqs-handler.ts';

const record = (id: string) => sqsRecord(`not a notification ${id}`, { messageId: id });

/** The ids a batch reports as failed; a thrown full-batch failure means all of them. */
async function failedIds(call: Promise<SQSBatchResponse>, event: SQSEvent): Promise<string[]> {
  try {
    return (await call).batchItemFailures.map((f) => f.itemIdentifier).sort();
  } catch {
    return event.Records.map((r) => r.messageId).sort();
  }
}

describe('routing handler, concurrent invocations', () => {
  it('reports the failures of each batch to that batch only', async () => {
    // Prepare: the env the construct sets (no call reaches a server: the records are malformed)
    Object.assign(process.env, {
      INTERACTIONS_TABLE: 'i',
      QUEUES_TABLE: 'q',
      CONFIG_TABLE: 'c',
      MAIL_BUCKET: 'm',
      DEFAULT_QUEUE_ID: 'default',
      DEFAULT_PRIORITY: '0',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    const { handler } = await import('../../../lambdas/handlers/routing.ts');
    const a = sqsEvent(record('a1'));
    const b = sqsEvent(record('b1'), record('b2'), record('b3'));

    // Act
    const [failedA, failedB] = await Promise.all([failedIds(invokeSqsHandler(handler, a), a), failedIds(invokeSqsHandler(handler, b), b)]);

    // Assess
    expect(failedA).toEqual(['a1']);
    expect(failedB).toEqual(['b1', 'b2', 'b3']);
  });
});
