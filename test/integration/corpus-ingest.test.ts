/**
 * Every message of ../shared/corpus through parse -> InboundMessage -> ingest, on real local
 * servers (fauxqs S3, dynalite): each ends queued or quarantined with a reason code, none crashes,
 * and a redelivery of any of them is a duplicate, never a second interaction.
 */
import { readFile } from 'node:fs/promises';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUARANTINE_REASONS } from '../../lambdas/core/errors.ts';
import { ingest, type IngestDeps, type IngestOutcome } from '../../lambdas/core/ingest.ts';
import type { ReceiptInfo } from '../../lambdas/core/message.ts';
import { DynamoIngestLedger } from '../../lambdas/adapters/dynamodb/ingest-ledger.ts';
import { DynamoInteractionStore } from '../../lambdas/adapters/dynamodb/interaction-store.ts';
import { createTableInputs } from '../../lambdas/adapters/dynamodb/schema.ts';
import { S3MessageParser } from '../../lambdas/adapters/mime/s3-message-parser.ts';
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  startDynalite,
  startFauxqsService,
  type Dynalite,
  type Fauxqs,
} from '../../lambdas/local/services.ts';
import { corpusFiles, corpusPresent, CORPUS_DIR } from '../support/corpus.ts';

const BUCKET = 'corpus-mail';
const files = corpusFiles();
let dynalite: Dynalite;
let fauxqs: Fauxqs;
let s3: S3Client;
let deps: IngestDeps;
const outcomes = new Map<string, IngestOutcome>();

beforeAll(async () => {
  dynalite = await startDynalite();
  fauxqs = await startFauxqsService();
  const config = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  s3 = new S3Client({ ...config, endpoint: fauxqs.endpoint, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const dynamo = new DynamoDBClient({ ...config, endpoint: dynalite.endpoint });
  for (const input of createTableInputs({ interactions: 'corpus-interactions', queues: 'corpus-queues' })) {
    await dynamo.send(new CreateTableCommand(input));
  }
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  deps = {
    ledger: new DynamoIngestLedger(doc, 'corpus-interactions'),
    interactions: new DynamoInteractionStore(doc, 'corpus-interactions'),
    parser: new S3MessageParser(s3, BUCKET),
    config: { domains: ['support.example.test'], defaultQueueId: 'default', defaultPriority: 0 },
    now: () => new Date(),
  };
});

afterAll(async () => {
  await fauxqs?.stop();
  await dynalite?.stop();
});

function receiptFor(index: number, recipients = ['help@support.example.test']): ReceiptInfo {
  return {
    transport: { kind: 'ses', messageId: `corpus${index}` },
    receivedAt: new Date().toISOString(),
    recipients,
    mailFrom: 'sender@customer.example',
    verdicts: { spam: 'PASS', virus: 'PASS', spf: 'GRAY', dkim: 'GRAY', dmarc: 'GRAY' },
    raw: { bucket: BUCKET, key: `inbound/corpus${index}` },
  };
}

describe.skipIf(!corpusPresent)(`corpus ingest (${CORPUS_DIR})`, () => {
  it.each(files.map((f, i) => [f.name, f.path, i] as const))('%s ends queued or quarantined with a reason', async (_name, path, index) => {
    // Prepare
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `inbound/corpus${index}`, Body: await readFile(path) }));

    // Act
    const outcome = await ingest(receiptFor(index), deps);
    const again = await ingest(receiptFor(index), deps);

    // Assess
    outcomes.set(_name, outcome);
    if (outcome.outcome === 'quarantined') expect(QUARANTINE_REASONS).toContain(outcome.reason);
    else expect(outcome).toMatchObject({ outcome: 'queued', queueId: 'default' });
    expect(again).toEqual({ outcome: 'duplicate', interactionId: outcome.interactionId });
    const stored = await deps.interactions.get(outcome.interactionId);
    expect(stored?.state).toBe(outcome.outcome === 'queued' ? 'waiting' : 'quarantined');
  });

  it('routes the bulk of real mail rather than quarantining it', () => {
    const queued = [...outcomes.values()].filter((o) => o.outcome === 'queued').length;
    expect(outcomes.size).toBe(files.length);
    expect(queued / files.length).toBeGreaterThan(0.9);
  });
});

describe('ingest without a served recipient', () => {
  it('quarantines with no-served-recipient and keeps the parsed subject', async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'inbound/corpus-unserved', Body: 'From: a@b.example\r\nSubject: Hi\r\n\r\nbody\r\n' }),
    );
    const receipt = { ...receiptFor(0, ['x@elsewhere.example']), transport: { kind: 'ses' as const, messageId: 'unserved' }, raw: { bucket: BUCKET, key: 'inbound/corpus-unserved' } };

    const outcome = await ingest(receipt, deps);

    expect(outcome).toMatchObject({ outcome: 'quarantined', reason: 'no-served-recipient' });
    const stored = await deps.interactions.get(outcome.interactionId);
    expect(stored?.message.subject).toBe('Hi');
    expect(stored?.quarantine?.detail).toContain('x@elsewhere.example');
  });
});
