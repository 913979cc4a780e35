/**
 * The reconciler against real local servers (the file-backed S3, fauxqs SQS, dynalite), through the local
 * runtime: notifications are dropped on purpose (raw messages stored under `inbound/` without any
 * notification, an ingest that crashed after `started`), the reconciler re-enqueues exactly those,
 * the routing handler ingests them with the verdicts and recipients SES's header block carries,
 * and a second run repairs nothing.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interactionIdFor } from '../../../lambdas/core/ingest.ts';
import { reconcile } from '../../../lambdas/core/reconcile/reconcile.ts';
import type { ReconcilePorts } from '../../../lambdas/core/reconcile/ports.ts';
import { reconcilePorts } from '../../../lambdas/adapters/reconcile-deps.ts';
import { RECIPIENTS_METADATA } from '../../../lambdas/adapters/reconcile/sqs-requeuer.ts';
import { storedReceiptOf } from '../../../lambdas/adapters/ses/stored-receipt.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { newSesMessageId } from '../../../lambdas/local/ses-event.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { MTA_NAME } from '../../../lambdas/local/ses-receiving.ts';
import { startTestDns, type TestDnsServer } from '../../support/dns-server.ts';
import { eventually } from '../../support/eventually.ts';
import { sendMail } from '../../support/smtp-client.ts';
import { bytesOf } from '../../support/bytes.ts';
import { runtimeCaller } from '../../support/runtime-auth.ts';

let runtime: LocalRuntime;
let dns: TestDnsServer;
let stateDir: string;
let s3: S3Client;
let doc: DynamoDBDocumentClient;
let ports: ReconcilePorts;

/** A raw message as the SES stand-in stores it: SES's header block, then the customer's mail. */
function stored(id: string, o: { to: string[]; virus?: string; subject: string }): string {
  return [
    'Return-Path: <ada@customer.example>',
    `Received: from client (127.0.0.1) by ${MTA_NAME} (host) with SMTP id ${id}${o.to.length === 1 ? ` for ${o.to[0]}` : ''}; ${new Date().toUTCString()}`,
    'X-SES-Spam-Verdict: PASS',
    `X-SES-Virus-Verdict: ${o.virus ?? 'PASS'}`,
    `Authentication-Results: ${MTA_NAME}; dkim=none (message not signed); spf=pass smtp.mailfrom=ada@customer.example; dmarc=none header.from=customer.example`,
    // A sender's attempt to pass as clean; it is below SES's block and never read.
    'X-SES-Virus-Verdict: PASS',
    'From: Ada <ada@customer.example>',
    `To: ${o.to.join(', ')}`,
    `Subject: ${o.subject}`,
    `Message-ID: <${id}@customer.example>`,
    '',
    'Hello',
    '',
  ].join('\r\n');
}

async function storeWithoutNotification(o: { to: string[]; virus?: string; subject: string; recorded?: string[] }): Promise<string> {
  const id = newSesMessageId();
  await s3.send(
    new PutObjectCommand({
      Bucket: runtime.resources.mailBucket,
      Key: `inbound/${id}`,
      Body: stored(id, o),
      ...(o.recorded && { Metadata: { [RECIPIENTS_METADATA]: o.recorded.join(',') } }),
    }),
  );
  return id;
}

const call = runtimeCaller(() => runtime);

async function interaction(id: string): Promise<any> {
  const iid = interactionIdFor(`ses:${id}`);
  return eventually(
    async () => {
      const res = await call('GET', `/interactions/${iid}`);
      return res.status === 200 ? res.body.interaction : undefined;
    },
    { what: `interaction of ${id}` },
  );
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'postroom-reconcile-'));
  dns = await startTestDns({ 'customer.example': ['v=spf1 ip4:127.0.0.1 -all'] });
  runtime = await startLocalRuntime({ memory: true, smtpPort: 0, apiPort: 0, stateDir, domains: ['support.example.test'], dnsServers: [dns.server] });
  const config = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  s3 = new S3Client({ ...config, endpoint: runtime.endpoints.s3, forcePathStyle: true });
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ ...config, endpoint: runtime.endpoints.dynamodb }));
  ports = reconcilePorts(s3, doc, new SQSClient({ ...config, endpoint: runtime.endpoints.fauxqs }), {
    mailBucket: runtime.resources.mailBucket,
    interactionsTable: runtime.resources.interactionsTable,
    inboundQueueUrl: runtime.queues.inboundUrl,
    configTable: runtime.resources.configTable,
    authServId: MTA_NAME,
  });
});

afterAll(async () => {
  await runtime?.stop();
  await dns?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe('reconciler on the local runtime', () => {
  it('re-enqueues exactly the messages whose notification was lost, and a second run repairs nothing', async () => {
    // Prepare: one mail delivered normally (done), four stored without a notification, one crashed
    // after `started`, one dead-lettered.
    const info = await sendMail(runtime.smtp.port, { from: 'ada@customer.example', to: 'help@support.example.test', subject: 'Normal', text: 'hi' });
    const normal = /queued as ([a-z0-9]+)/.exec(info.response)![1]!;
    await interaction(normal);
    const lost = await storeWithoutNotification({ to: ['help@support.example.test'], subject: 'Lost notification' });
    const infected = await storeWithoutNotification({ to: ['help@support.example.test'], virus: 'FAIL', subject: 'Infected' });
    const multi = await storeWithoutNotification({ to: ['help@support.example.test', 'sales@support.example.test', 'x@elsewhere.example'], subject: 'Two of ours' });
    const bcc = await storeWithoutNotification({ to: ['help@support.example.test', 'sales@support.example.test'], recorded: ['vip@support.example.test', 'help@support.example.test'], subject: 'Recorded envelope' });
    const crashed = await storeWithoutNotification({ to: ['help@support.example.test'], subject: 'Crashed' });
    await doc.send(new PutCommand({ TableName: runtime.resources.interactionsTable, Item: { pk: `M#ses:${crashed}`, interactionId: interactionIdFor(`ses:${crashed}`), status: 'started', startedAt: new Date().toISOString() } }));
    const dead = await storeWithoutNotification({ to: ['help@support.example.test'], subject: 'Dead-lettered' });
    await doc.send(new PutCommand({ TableName: runtime.resources.interactionsTable, Item: { pk: `M#ses:${dead}`, status: 'started', deadLetteredAt: new Date().toISOString() } }));

    // Act
    const report = await reconcile(ports, { now: new Date(Date.now() + 1000), graceMs: 0 });

    // Assess
    expect(report).toMatchObject({ checked: 7, finished: 1, deadLettered: 1, repaired: 5, errors: [] });
    expect([...report.repairedKeys].sort()).toEqual([lost, infected, multi, bcc, crashed].map((id) => `inbound/${id}`).sort());

    const plain = await interaction(lost);
    expect(plain.state).toBe('waiting');
    expect(plain.message.recipients).toEqual(['help@support.example.test']);
    expect(plain.message.mailFrom).toBe('ada@customer.example');
    expect(plain.message.verdicts).toMatchObject({ spam: 'PASS', virus: 'PASS', spf: 'PASS' });
    expect(plain.trail[0].detail).toContain('recovered by the reconciler');

    const virus = await interaction(infected);
    expect(virus.state).toBe('disconnected');
    expect(virus.message.verdicts.virus).toBe('FAIL');

    const fallback = await interaction(multi);
    expect([...fallback.message.recipients].sort()).toEqual(['help@support.example.test', 'sales@support.example.test']);
    expect(fallback.trail[0].detail).toContain('read from To/Cc/Delivered-To');

    expect((await interaction(bcc)).message.recipients).toEqual(['vip@support.example.test', 'help@support.example.test']);
    expect((await interaction(crashed)).state).toBe('waiting');

    await eventually(async () => {
      const second = await reconcile(ports, { now: new Date(Date.now() + 1000), graceMs: 0 });
      return second.finished === 6 ? second : undefined;
    }, { what: 'all repaired messages done' }).then((second) =>
      expect(second).toMatchObject({ checked: 7, finished: 6, deadLettered: 1, repaired: 0, errors: [] }),
    );
  });

  it('recovers from what the SMTP stand-in stored the same receipt its notification carried', async () => {
    // Prepare: a mail over SMTP to two of our addresses and one elsewhere, routed from its notification.
    const info = await sendMail(runtime.smtp.port, {
      from: 'ada@customer.example',
      to: ['help@support.example.test', 'sales@support.example.test'],
      cc: 'x@elsewhere.example',
      subject: 'Both paths',
      text: 'hi',
    });
    const id = /queued as ([a-z0-9]+)/.exec(info.response)![1]!;
    const fromNotification = (await interaction(id)).message;
    const object = await s3.send(new GetObjectCommand({ Bucket: runtime.resources.mailBucket, Key: `inbound/${id}` }));
    const head = await bytesOf(object.Body);

    // Act
    const fromHeaders = storedReceiptOf(
      { bucket: runtime.resources.mailBucket, key: `inbound/${id}`, size: head.length, lastModified: new Date(), head },
      { domains: ['support.example.test'], authServId: MTA_NAME },
    );

    // Assess: the same facts, except what only the envelope knew (x@elsewhere was a recipient).
    expect(fromHeaders.verdicts).toEqual(fromNotification.verdicts);
    expect(fromHeaders.verdicts.spf).toBe('PASS');
    expect(fromHeaders.mailFrom).toBe(fromNotification.mailFrom);
    expect(fromHeaders.transport).toEqual(fromNotification.transport);
    expect([...fromHeaders.recipients].sort()).toEqual(['help@support.example.test', 'sales@support.example.test']);
    expect(object.Metadata?.[RECIPIENTS_METADATA]?.split(',').sort()).toEqual([...fromNotification.recipients].sort());
  });

  it('leaves young messages alone inside the grace period', async () => {
    const young = await storeWithoutNotification({ to: ['help@support.example.test'], subject: 'Just arrived' });

    const report = await reconcile(ports, { now: new Date(), graceMs: 5 * 60_000 });

    expect(report.young).toBeGreaterThanOrEqual(1);
    expect(report.repairedKeys).not.toContain(`inbound/${young}`);
  });
});
