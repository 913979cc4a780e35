/**
 * `POST /flows/dry-run` over real stores (dynalite) and real stored mail (fauxqs S3), issue 12
 * item 4: the trail a dry run shows is the trail routing really writes for the same message (the
 * routing Lambda's ingest, same clock), and a dry run stores nothing: no interaction, no Message-ID,
 * no token, no acknowledgement. Unsaved flows are validated with field messages first.
 */
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailContent } from '../../../lambdas/adapters/content/mail-content.ts';
import { DynamoDomainStore } from '../../../lambdas/adapters/dynamodb/domain-store.ts';
import { DynamoThreadIndex } from '../../../lambdas/adapters/dynamodb/thread-index.ts';
import { ingestDeps } from '../../../lambdas/adapters/ingest-deps.ts';
import { languageDetector } from '../../../lambdas/adapters/language/detect.ts';
import { ingest } from '../../../lambdas/core/ingest.ts';
import type { IngestDeps } from '../../../lambdas/core/ingest-ports.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynalite, startFauxqsService, type Dynalite } from '../../../lambdas/local/services.ts';
import { at, domainRecord } from '../../support/factories.ts';
import { dynamoApiApp } from '../../support/api-app.ts';
import { apiCaller } from '../../support/api-call.ts';
import { plainMessage } from '../../support/mail-builder.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';

const BUCKET = 'dry-run-mail';
const DOMAIN = 'support.example.test';

describe('flow dry run of the HTTP API', () => {
  let dynalite: Dynalite;
  let fauxqs: Awaited<ReturnType<typeof startFauxqsService>>;
  let tables: Tables;
  let s3: S3Client;
  let deps: IngestDeps;
  let app: Hono;

  beforeAll(async () => {
    dynalite = await startDynalite();
    fauxqs = await startFauxqsService();
    tables = await createTables(dynalite.endpoint, 'dry-run');
    s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: fauxqs.endpoint, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await new DynamoDomainStore(tables.doc, tables.config).create(domainRecord(DOMAIN));
    const settings = { defaultQueueId: 'default', defaultPriority: 0 };
    deps = ingestDeps(tables.doc, s3, { interactionsTable: tables.interactions, queuesTable: tables.queues, configTable: tables.config, mailBucket: BUCKET, ...settings }, () => at(10));
    // The stored raw message as the API reads it: a stream of the object (S3MailContent's stream mode).
    const content: Pick<MailContent, 'stream'> = {
      stream: async (blob) => ({ body: (await s3.send(new GetObjectCommand({ Bucket: blob.bucket, Key: blob.key }))).Body!.transformToWebStream() as ReadableStream<Uint8Array> }),
    };
    app = dynamoApiApp(tables, { acd: true, domains: 'stored' }, {
      flowDryRun: { settings, detectLanguage: languageDetector(), threads: new DynamoThreadIndex(tables.doc, tables.interactions) },
      content: content as MailContent,
    });
    for (const q of ['default', 'billing']) expect((await call('POST', '/queues', { id: q, name: q })).status).toBe(201);
    const flow = await call('PUT', '/flows/triage', {
      name: 'Triage',
      rules: [
        { name: 'invoices', when: [{ field: 'subject', op: 'contains', value: 'invoice' }], then: [{ type: 'setQueue', queueId: 'billing' }, { type: 'setPriority', priority: 30 }, { type: 'addSkills', skills: ['invoices'] }] },
        { name: 'ack', when: [{ field: 'subject', op: 'contains', value: 'ack' }], then: [{ type: 'autoAcknowledge', subject: 'Got it: {{subject}}', body: 'Thanks.' }] },
      ],
    });
    expect(flow.status).toBe(201);
    expect((await call('POST', '/addresses', { address: `help@${DOMAIN}`, fromName: 'Help', routing: { kind: 'flow', flowId: 'triage' } })).status).toBe(201);
  });
  afterAll(async () => {
    s3?.destroy();
    tables?.destroy();
    await fauxqs?.stop();
    await dynalite?.stop();
  });

  const call = apiCaller(() => app);
  const raw = (subject: string, messageId: string) => plainMessage({ subject, messageId, from: 'Ada <ada@customer.example>', to: `help@${DOMAIN}` }, 'Hello, my invoice is wrong and I would like a correction please.').toString('utf8');
  const itemKeys = async () => ((await tables.doc.send(new ScanCommand({ TableName: tables.interactions, ProjectionExpression: 'pk' }))).Items ?? []).map((i) => String(i.pk)).sort();
  async function route(messageId: string, text: string) {
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `inbound/${messageId}`, Body: text }));
    const receipt = { transport: { kind: 'ses' as const, messageId }, receivedAt: at(10).toISOString(), recipients: [`help@${DOMAIN}`], mailFrom: 'ada@customer.example', verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' } as const, raw: { bucket: BUCKET, key: `inbound/${messageId}` } };
    const outcome = await ingest(receipt, deps);
    return (await call('GET', `/interactions/${outcome.interactionId}`)).body.interaction;
  }

  it('shows the trail routing really writes for the same message, and stores nothing', async () => {
    const text = raw('Invoice 4711 is wrong', '<dry-1@customer.example>');
    const before = await itemKeys();

    const dry = await call('POST', '/flows/dry-run', { flowId: 'triage', raw: text });

    expect(dry.status).toBe(200);
    expect(await itemKeys()).toEqual(before);
    expect(dry.body.flow).toEqual({ id: 'triage', version: 1 });
    expect(dry.body.outcome).toEqual({ disposition: 'queue', queueId: 'billing', priority: 30, skills: ['invoices'], tags: [] });
    const real = await route('ses-dry-1', text);
    expect(real).toMatchObject({ state: 'waiting', queueId: 'billing', priority: 30 });
    expect(dry.body.trail).toEqual(real.trail);
  });

  it('runs a stored interaction\'s message; its own Message-ID is not a thread to join', async () => {
    const text = raw('Invoice 4711 is wrong', '<dry-1@customer.example>');
    const stored = await route('ses-dry-1', text);
    const dry = await call('POST', '/flows/dry-run', { flowId: 'triage', interactionId: stored.id });
    expect(dry.status).toBe(200);
    expect(dry.body.outcome).toMatchObject({ disposition: 'queue', queueId: 'billing' });
    expect(dry.body.trail).toEqual(stored.trail);
  });

  it('shows the acknowledgement it would enqueue, and enqueues none', async () => {
    const before = await itemKeys();
    const dry = await call('POST', '/flows/dry-run', { flowId: 'triage', raw: raw('Please ack', '<dry-2@customer.example>') });
    expect(dry.body.outcome.acknowledgement).toMatchObject({ to: 'ada@customer.example', from: `help@${DOMAIN}`, subject: 'Got it: Please ack', body: 'Thanks.' });
    expect(dry.body.trail.at(-1)).toMatchObject({ step: 'auto-ack' });
    expect(await itemKeys()).toEqual(before);
  });

  it('runs an unsaved flow, and refuses an invalid one with field messages', async () => {
    const flow = { name: 'Draft', rules: [{ when: [], then: [{ type: 'setQueue', queueId: 'billing' }, { type: 'setPriority', priority: 5 }] }] };
    const dry = await call('POST', '/flows/dry-run', { flow, raw: raw('Anything', '<dry-3@customer.example>') });
    expect(dry.status).toBe(200);
    expect(dry.body.outcome).toMatchObject({ disposition: 'queue', queueId: 'billing', priority: 5 });
    expect(dry.body.trail.find((t: any) => t.step === 'flow').detail).toMatch(/^flow \(unsaved\) v0 rule 1: /);

    const invalid = await call('POST', '/flows/dry-run', { flow: { name: 'Bad', rules: [{ when: [], then: [{ type: 'setQueue', queueId: 'nowhere' }] }] }, raw: 'x' });
    expect(invalid.status).toBe(400);
    expect(Object.keys(invalid.body.error.fields)).toEqual(['rules[0].then[0].queueId']);
  });

  it('refuses both or neither of flow and flowId, an unknown flow, and a message over the limit', async () => {
    expect((await call('POST', '/flows/dry-run', { raw: 'x' })).body.error.fields).toHaveProperty('flowId');
    expect((await call('POST', '/flows/dry-run', { flowId: 'triage' })).body.error.fields).toHaveProperty('raw');
    expect((await call('POST', '/flows/dry-run', { flowId: 'nope', raw: raw('x', '<x@y>') })).status).toBe(404);
    const big = await call('POST', '/flows/dry-run', { flowId: 'triage', raw: 'Subject: big\r\n\r\n' + 'a'.repeat(1_000_001) });
    expect([400, 413]).toContain(big.status);
  });
});
