/**
 * The routing handler's per-record work (`routeRecord`) through its SQSHandler entry point: each
 * record is read, ingested through core and, when it fails, reported failed alone with its reason
 * on the ledger. Ingest runs on in-memory ports (the handler's wiring is replaced); the failure
 * ledger's DynamoDB calls reach a mocked client, so what the handler records is observable.
 */
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { SQSHandler } from 'aws-lambda';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TransientError } from '../../../lambdas/core/errors.ts';
import { interactionIdFor } from '../../../lambdas/core/ingest.ts';
import { parsedMail, sesNotification, snsEnvelope, sqsEvent, sqsRecord } from '../../support/factories.ts';
import { memoryIngest } from '../../support/memory-ingest.ts';
import { invokeSqsHandler } from '../../support/sqs-handler.ts';
import type { IngestDeps } from '../../../lambdas/core/ingest-ports.ts';

// The handler wires its deps at module load: the stand-in must exist before it is imported.
const wiring = vi.hoisted(() => ({ deps: undefined as IngestDeps | undefined }));
vi.mock('../../../lambdas/adapters/ingest-deps.ts', () => ({ ingestDeps: () => wiring.deps }));

const ddb = mockClient(DynamoDBDocumentClient);
const world = memoryIngest(async (raw) => {
  if (raw.key === 'inbound/slow') throw new TransientError('s3-unavailable', 'SlowDown');
  return parsedMail();
});
let handler: SQSHandler;

/** A record carrying SES's notification of message `sesId`, as SQS message `sqsId`. */
const notified = (sqsId: string, sesId: string) => sqsRecord(sesNotification({ messageId: sesId }), { messageId: sqsId });
const updatesOf = (key: string) => ddb.commandCalls(UpdateCommand).filter((c) => c.args[0].input.Key?.pk === `M#${key}`);

beforeAll(async () => {
  Object.assign(process.env, {
    INTERACTIONS_TABLE: 'i',
    QUEUES_TABLE: 'q',
    CONFIG_TABLE: 'c',
    MAIL_BUCKET: 'mail',
    DEFAULT_QUEUE_ID: 'default',
    DEFAULT_PRIORITY: '0',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  });
  wiring.deps = world.deps;
  ({ handler } = await import('../../../lambdas/handlers/routing.ts'));
});
afterEach(() => ddb.reset());

describe('routing handler, record by record', () => {
  it('reports no failure for records it ingested, nor for a redelivery of one, and their interactions wait', async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({});
    const event = sqsEvent(notified('r1', 'good-1'), sqsRecord(snsEnvelope(sesNotification({ messageId: 'good-2' })), { messageId: 'r2' }), notified('r3', 'good-1'));

    // Act
    const response = await invokeSqsHandler(handler, event);

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    for (const id of ['good-1', 'good-2']) {
      expect(world.interactions.items.get(interactionIdFor(`ses:${id}`))).toMatchObject({ state: 'waiting', queueId: 'default' });
    }
    expect(world.interactions.items.size).toBe(2);
    expect(ddb.commandCalls(UpdateCommand)).toEqual([]);
  });

  it('fails the whole batch when every record fails, so that none is deleted as done', async () => {
    // Act
    const all = invokeSqsHandler(handler, sqsEvent(sqsRecord('{oops', { messageId: 'r-a' }), sqsRecord('{oops', { messageId: 'r-b' })));

    // Assess
    await expect(all).rejects.toThrow(/All records failed processing/);
  });

  it('reports exactly the failing records, while their neighbours are ingested', async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({});
    const event = sqsEvent(notified('r-ok', 'good-3'), sqsRecord('not a notification', { messageId: 'r-bad' }), notified('r-slow', 'slow'));

    // Act
    const response = await invokeSqsHandler(handler, event);

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'r-bad' }, { itemIdentifier: 'r-slow' }]);
    expect(world.interactions.items.get(interactionIdFor('ses:good-3'))?.state).toBe('waiting');
    expect(world.interactions.items.has(interactionIdFor('ses:slow'))).toBe(false);
  });

  it("records a failed message's reason on its ledger item; a body that names no message has none to record", async () => {
    // Prepare
    ddb.on(UpdateCommand).resolves({});

    // Act
    const response = await invokeSqsHandler(handler, sqsEvent(sqsRecord('{oops', { messageId: 'r-bad' }), notified('r-slow', 'slow'), notified('r-ok', 'good-5')));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'r-bad' }, { itemIdentifier: 'r-slow' }]);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);
    expect(updatesOf('ses:slow')[0]!.args[0].input.ExpressionAttributeValues).toMatchObject({ ':code': 's3-unavailable', ':message': 'SlowDown', ':one': 1 });
  });

  it('still reports the record failed when its reason cannot be recorded', async () => {
    // Prepare
    ddb.on(UpdateCommand).rejects(new Error('ledger unreachable'));

    // Act
    const response = await invokeSqsHandler(handler, sqsEvent(notified('r-slow', 'slow'), notified('r-ok', 'good-4')));

    // Assess
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'r-slow' }]);
    expect(updatesOf('ses:slow')).toHaveLength(1);
    expect(world.interactions.items.get(interactionIdFor('ses:good-4'))?.state).toBe('waiting');
  });
});
