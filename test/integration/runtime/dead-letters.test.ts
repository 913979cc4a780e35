/**
 * Dead letters end to end on the local runtime (dynalite, fauxqs SQS, the file-backed S3): records that keep failing go to
 * the DLQ after their retries, the recorder turns each into a dead letter with its reason and
 * flags the ledger, the API and the CLI list and show them, and a redrive after the cause is fixed
 * yields exactly one interaction, however often the message is sent again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_INLINE_BODY_BYTES } from '../../../lambdas/core/dead-letters.ts';
import { interactionIdFor } from '../../../lambdas/core/ingest.ts';
import { DynamoDomainStore } from '../../../lambdas/adapters/dynamodb/domain-store.ts';
import { createTableInputs } from '../../../lambdas/adapters/dynamodb/schema.ts';
import { newSesMessageId } from '../../../lambdas/local/ses-event.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { runPostroom } from '../../support/cli.ts';
import { startTestDns, type TestDnsServer } from '../../support/dns-server.ts';
import { eventually } from '../../support/eventually.ts';
import { sendMail } from '../../support/smtp-client.ts';
import { runtimeCaller, shareRuntimeKey } from '../../support/runtime-auth.ts';
import { domainRecord, sesNotification } from '../../support/factories.ts';

let runtime: LocalRuntime;
let dns: TestDnsServer;
let stateDir: string;
let dynamo: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let sqs: SQSClient;
/** Transport keys of the poison messages: two mails over SMTP, one large notification, one malformed body. */
const keys = { a: '', b: '', large: '' };
const MALFORMED = 'this is not an SES notification';

const call = runtimeCaller(() => runtime);

async function sesKeyOf(subject: string): Promise<string> {
  const info = await sendMail(runtime.smtp.port, {
    from: 'Ann <ann@customer.example>',
    to: 'help@support.example.test',
    subject,
    text: 'Hello, my order has not arrived.',
  });
  return `ses:${/queued as ([a-z0-9]+)/.exec(info.response)![1]!}`;
}

async function deadLetters(state = 'dead'): Promise<any[]> {
  return (await call('GET', `/dead-letters?state=${state}`)).body.deadLetters;
}

const byKey = (list: any[], key: string) => list.find((d) => d.transportKey === key);
const ledger = async (key: string) => (await doc.send(new GetCommand({ TableName: runtime.resources.interactionsTable, Key: { pk: `M#${key}` } }))).Item;

async function queueDepth(url: string): Promise<number> {
  const out = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
  );
  return Number(out.Attributes?.ApproximateNumberOfMessages ?? 0) + Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'postroom-dead-letters-'));
  dns = await startTestDns({ 'customer.example': ['v=spf1 ip4:127.0.0.1 -all'] });
  runtime = await startLocalRuntime({
    memory: true,
    smtpPort: 0,
    apiPort: 0,
    stateDir,
    domains: ['support.example.test'],
    dnsServers: [dns.server],
    visibilityTimeoutSeconds: 1,
  });
  const config = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  dynamo = new DynamoDBClient({ ...config, endpoint: runtime.endpoints.dynamodb });
  doc = DynamoDBDocumentClient.from(dynamo);
  sqs = new SQSClient({ ...config, endpoint: runtime.endpoints.fauxqs });

  // Prepare the poison: without its config table, routing fails every message (a deployment fault an operator fixes).
  await dynamo.send(new DeleteTableCommand({ TableName: runtime.resources.configTable }));
  keys.a = await sesKeyOf('first poisoned');
  keys.b = await sesKeyOf('second poisoned');
  const s3 = new S3Client({ ...config, endpoint: runtime.endpoints.s3, forcePathStyle: true });
  const sesId = newSesMessageId();
  const raw = 'From: bob@customer.example\r\nTo: help@support.example.test\r\nSubject: large notification\r\n\r\nHello\r\n';
  await s3.send(new PutObjectCommand({ Bucket: runtime.resources.mailBucket, Key: `inbound/${sesId}`, Body: raw }));
  const notification = sesNotification({
    messageId: sesId,
    mailFrom: 'bob@customer.example',
    recipients: ['help@support.example.test'],
    receivedAt: new Date(),
    bucket: runtime.resources.mailBucket,
    topicArn: 'arn:aws:sns:us-east-1:000000000000:postroom-inbound',
  });
  // SES includes the mail's headers; a long header list makes the body too large to keep inline.
  const headers = Array.from({ length: 80 }, (_, i) => ({ name: `X-Filler-${i}`, value: 'x'.repeat(80) }));
  keys.large = `ses:${sesId}`;
  for (const body of [JSON.stringify({ ...notification, mail: { ...notification.mail, headers } }), MALFORMED]) {
    await sqs.send(new SendMessageCommand({ QueueUrl: runtime.queues.inboundUrl, MessageBody: body }));
  }
  // Five receives of all four, each after a 1 s visibility timeout: seconds alone, minutes when the
  // two cores are shared with every other suite.
  let seen: unknown[] = [];
  await eventually(
    async () => {
      seen = (await deadLetters()).map((d) => d.transportKey ?? d.reason.code);
      return seen.length >= 4 ? true : undefined;
    },
    { timeoutMs: 300_000, intervalMs: 500, what: 'four dead letters' },
  ).catch((err: Error) => {
    throw new Error(`${err.message}; recorded so far: ${JSON.stringify(seen)}`);
  });
  shareRuntimeKey(runtime);
}, 360_000);

afterAll(async () => {
  await runtime?.stop();
  await dns?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe('dead letters on the local runtime', () => {
  it('records every message that exhausted its retries, with its reason, and empties the DLQ', async () => {
    const list = await deadLetters();
    const a = byKey(list, keys.a);
    expect(a).toMatchObject({ state: 'dead', interactionId: interactionIdFor(keys.a), reason: { code: 'storage-misconfigured' } });
    // 5 unless this loaded machine ran the last attempt past the 1 s visibility timeout
    expect(a.reason.attempts).toBeGreaterThanOrEqual(3);
    expect(a.reason.message).toMatch(/DynamoDB .* failed: ResourceNotFoundException/);
    expect(a.receiveCount).toBeGreaterThanOrEqual(5);
    expect(byKey(list, keys.b)).toMatchObject({ state: 'dead', reason: { code: 'storage-misconfigured' } });
    const malformed = list.find((d) => d.transportKey === undefined);
    expect(malformed).toMatchObject({ reason: { code: 'malformed-event', message: 'record body is not JSON' }, bodyBytes: MALFORMED.length });
    expect(await queueDepth(runtime.queues.dlqUrl)).toBe(0);
    expect((await call('GET', `/interactions/${interactionIdFor(keys.a)}`)).status).toBe(404);
  });

  it('keeps a large body in storage and a small one inline', async () => {
    const large = (await call('GET', `/dead-letters/${byKey(await deadLetters(), keys.large).id}`)).body.deadLetter;
    expect(large.body).toBeUndefined();
    expect(large.bodyObject).toMatch(/^dead-letters\/dl-[0-9a-f]+\.json$/);
    expect(large.bodyBytes).toBeGreaterThan(MAX_INLINE_BODY_BYTES);
    const small = (await call('GET', `/dead-letters/${byKey(await deadLetters(), keys.a).id}`)).body.deadLetter;
    expect(JSON.parse(small.body).mail.messageId).toBe(keys.a.slice('ses:'.length));
  });

  it('flags the ledger item with deadLetteredAt and the last failure', async () => {
    const item = await eventually(async () => ((await ledger(keys.a))?.attempts === 5 ? ledger(keys.a) : undefined), { what: 'five recorded attempts' });
    expect(item).toMatchObject({ lastErrorCode: 'storage-misconfigured', attempts: 5 });
    expect(Date.parse(item!.deadLetteredAt)).toBeGreaterThan(0);
  });

  it('answers 404 for an unknown dead letter and 400 for a bad state', async () => {
    expect((await call('POST', '/dead-letters/dl-0000/redrive')).body.error.code).toBe('not-found');
    const bad = await call('GET', '/dead-letters?state=gone');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(['state']);
  });

  it('redrives once the cause is fixed: exactly one interaction, a second redrive is refused, a resend is a duplicate', async () => {
    // Prepare: the operator restores the config table, and its data: the served domain
    const config = createTableInputs({ interactions: 'x', queues: 'y', config: runtime.resources.configTable })[2]!;
    await dynamo.send(new CreateTableCommand(config));
    await new DynamoDomainStore(doc, runtime.resources.configTable).create(domainRecord('support.example.test', { owner: 'stack' }));
    const id = byKey(await deadLetters(), keys.a).id;
    const interactionId = interactionIdFor(keys.a);

    // Act
    const first = await call('POST', `/dead-letters/${id}/redrive`);

    // Assess
    expect(first.status).toBe(200);
    expect(first.body.deadLetter).toMatchObject({ id, state: 'redriven' });
    const interaction = await eventually(async () => {
      const r = await call('GET', `/interactions/${interactionId}`);
      return r.status === 200 ? r.body.interaction : undefined;
    }, { what: 'the redriven interaction' });
    expect(interaction.state).toBe('waiting');
    const item = await eventually(async () => ((await ledger(keys.a))?.status === 'done' ? ledger(keys.a) : undefined));
    expect(item!.deadLetteredAt).toBeUndefined();

    const second = await call('POST', `/dead-letters/${id}/redrive`);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'conflict', fields: { state: 'is redriven, not dead' } });

    // The same body once more, as a crash between send and mark would leave it: ingest dedupes it.
    const body = (await call('GET', `/dead-letters/${id}`)).body.deadLetter.body;
    await sqs.send(new SendMessageCommand({ QueueUrl: runtime.queues.inboundUrl, MessageBody: body }));
    await eventually(async () => ((await queueDepth(runtime.queues.inboundUrl)) === 0 ? true : undefined), { what: 'the inbound queue to drain' });
    const waiting = (await call('GET', '/queues/default/interactions')).body.interactions.filter((i: any) => i.id === interactionId);
    expect(waiting).toHaveLength(1);
    const { score: _s, ageMinutes: _a, ...unchanged } = interaction;
    expect((await call('GET', `/interactions/${interactionId}`)).body.interaction).toMatchObject(unchanged);
    expect((await deadLetters('redriven')).map((d) => d.id)).toEqual([id]);
  }, 120_000);

  it('CLI: lists and shows dead letters, refuses a second redrive, and redrives all the rest', async () => {
    const api = ['--api', runtime.apiUrl];
    const b = byKey(await deadLetters(), keys.b);

    const list = await runPostroom(['dead-letter', 'list', ...api]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(b.id);
    expect(list.stdout).toContain('storage-misconfigured');

    const show = await runPostroom(['dead-letter', 'show', b.id, ...api]);
    expect(show.stdout).toContain(`Dead letter ${b.id} (dead)`);
    expect(show.stdout).toContain(`Transport:     ${keys.b}`);

    const a = (await deadLetters('redriven'))[0];
    const again = await runPostroom(['dead-letter', 'redrive', a.id, ...api]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('API error 409 conflict');

    const usage = await runPostroom(['dead-letter', 'redrive', ...api]);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('give either a dead letter id or --all');

    const all = await runPostroom(['dead-letter', 'redrive', '--all', ...api]);
    expect(all.stderr).toBe('');
    expect(all.stdout).toContain('Redrove 3 dead letters');
    for (const key of [keys.b, keys.large]) {
      await eventually(async () => ((await call('GET', `/interactions/${interactionIdFor(key)}`)).status === 200 ? true : undefined), {
        what: `interaction of ${key}`,
      });
    }
  }, 180_000); // five CLI processes: each starts tsx, slow on a shared machine
});
