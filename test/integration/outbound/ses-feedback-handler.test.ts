/**
 * The SES feedback Lambda over dynalite, as the feedback queue delivers EventBridge's SES events:
 * a hard bounce suppresses its recipient and lands on the outbox record with the delivery, events
 * of mail the outbox did not send change nothing, and a body that is no event fails alone.
 */
import type { SQSHandler } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoOutboxStore } from '../../../lambdas/adapters/dynamodb/outbox-store.ts';
import { DynamoSuppressionStore } from '../../../lambdas/adapters/dynamodb/suppression-store.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { sqsEvent, sqsRecord } from '../../support/factories.ts';
import { delivery, permanentBounce, sesMail } from '../../support/ses-events.ts';
import { invokeSqsHandler } from '../../support/sqs-handler.ts';

const OUTBOX = 'o-0123456789abcdef0123';

describe('SES feedback handler', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let handler: SQSHandler;
  let outbox: DynamoOutboxStore;
  let suppressions: DynamoSuppressionStore;

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'ses-feedback');
    // The environment the construct sets, and the SDK's endpoint override, before the handler's cold start.
    Object.assign(process.env, {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
      INTERACTIONS_TABLE: tables.interactions,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    ({ handler } = (await import('../../../lambdas/handlers/ses-feedback.ts')) as { handler: SQSHandler });
    outbox = new DynamoOutboxStore(tables.doc, tables.interactions);
    suppressions = new DynamoSuppressionStore(tables.doc, tables.interactions);
    await outbox.enqueue(
      {
        id: OUTBOX,
        purpose: 'new',
        to: [{ address: 'alice@customer.test' }, { address: 'gone@customer.test' }],
        from: { address: 'support@example.test' },
        subject: 'Hello',
        references: [],
        messageId: '<m@example.test>',
      },
      new Date('2026-11-26T09:59:00.000Z'),
    );
  });
  afterAll(async () => {
    tables?.destroy();
    await dynalite?.stop();
  });

  it('suppresses a hard-bounced recipient and records the bounce and the delivery on the outbox record', async () => {
    const event = sqsEvent(
      sqsRecord(permanentBounce('gone@customer.test'), { messageId: 'bounce' }),
      sqsRecord(delivery(['alice@customer.test']), { messageId: 'delivery' }),
      sqsRecord(permanentBounce('stranger@customer.test', sesMail(undefined)), { messageId: 'not-ours' }),
      sqsRecord('not json', { messageId: 'garbage' }),
    );

    const response = await invokeSqsHandler(handler, event);

    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'garbage' }]);
    expect((await suppressions.find(['gone@customer.test', 'stranger@customer.test', 'alice@customer.test'])).map((s) => [s.address, s.reason, s.outboxId])).toEqual([
      ['gone@customer.test', 'bounce', OUTBOX],
    ]);
    const record = await outbox.get(OUTBOX);
    expect(record?.delivery?.map((d) => [d.recipient, d.status])).toEqual(
      expect.arrayContaining([['gone@customer.test', 'bounced'], ['alice@customer.test', 'delivered']]),
    );
    expect(record?.delivery).toHaveLength(2);
  });

  it('changes nothing more when the same events come again', async () => {
    await invokeSqsHandler(handler, sqsEvent(sqsRecord(permanentBounce('gone@customer.test'), { messageId: 'again' })));
    expect((await suppressions.list({})).suppressions).toHaveLength(1);
  });
});
