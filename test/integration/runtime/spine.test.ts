/**
 * The inbound spine end to end on the local runtime, in process: SMTP in -> S3 -> SNS -> SQS ->
 * routing handler -> DynamoDB -> HTTP API out. Every service is a real local server.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interactionIdFor } from '../../../lambdas/core/ingest.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { sesReceiptNotification } from '../../../lambdas/local/ses-event.ts';
import { eventually } from '../../support/eventually.ts';
import { queueDepth } from '../../support/queue-depth.ts';
import { watchRouting } from '../../support/routing-log.ts';
import { sendMail } from '../../support/smtp-client.ts';
import { startTestDns, type TestDnsServer } from '../../support/dns-server.ts';
import { bytesOf, sha256Hex } from '../../support/bytes.ts';
import { runtimeCaller } from '../../support/runtime-auth.ts';

let runtime: LocalRuntime;
let stateDir: string;
let sqs: SQSClient;
let s3: S3Client;
let dns: TestDnsServer;

const call = runtimeCaller(() => runtime);
const api = <T = any>(path: string) => call<T>('GET', path);

async function waitingBySubject(subject: string) {
  return eventually(
    async () => {
      const { body } = await api('/queues/default/interactions');
      return body.interactions?.find((i: { subject: string }) => i.subject === subject);
    },
    { what: `"${subject}" to wait in the default queue` },
  );
}

/** Sends `copies` of one notification in one batch (handled side by side), waits for the queue to drain; the SQS ids. */
async function redeliver(body: string, copies: number): Promise<string[]> {
  const entries = Array.from({ length: copies }, (_, n) => ({ Id: `copy${n}`, MessageBody: body }));
  const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl: runtime.queues.inboundUrl, Entries: entries }));
  await eventually(async () => ((await queueDepth(sqs, runtime.queues.inboundUrl)) === 0 ? true : undefined), { what: 'the inbound queue to drain' });
  return (sent.Successful ?? []).map((entry) => entry.MessageId!);
}

/** The DLQ is empty and the dead-letter recorder (which empties it) kept nothing for `transportKey`. */
async function expectNothingDeadLettered(transportKey: string): Promise<void> {
  expect(await queueDepth(sqs, runtime.queues.dlqUrl)).toBe(0);
  const { body } = await api('/dead-letters');
  expect(body.deadLetters.filter((d: { transportKey?: string }) => d.transportKey === transportKey)).toEqual([]);
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'postroom-spine-'));
  dns = await startTestDns({ 'customer.example': ['v=spf1 ip4:127.0.0.1 -all'], '_dmarc.customer.example': ['v=DMARC1; p=none'] });
  runtime = await startLocalRuntime({
    memory: true,
    smtpPort: 0,
    apiPort: 0,
    stateDir,
    domains: ['support.example.test'],
    visibilityTimeoutSeconds: 1,
    dnsServers: [dns.server],
  });
  const config = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: runtime.endpoints.fauxqs };
  sqs = new SQSClient(config);
  s3 = new S3Client({ ...config, endpoint: runtime.endpoints.s3, forcePathStyle: true });
});

afterAll(async () => {
  await runtime?.stop();
  await dns?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe('inbound spine on the local runtime', () => {
  it('queues a mail sent over SMTP and shows it through the API with its verdicts and trail', async () => {
    // Act
    await sendMail(runtime.smtp.port, {
      from: 'Ada Customer <ada@customer.example>',
      to: 'help@support.example.test',
      subject: 'Where is my parcel?',
      text: 'Order 4711 has not arrived.',
    });

    // Assess
    const entry = await waitingBySubject('Where is my parcel?');
    expect(entry.from).toMatchObject({ address: 'ada@customer.example', name: 'Ada Customer' });
    expect(entry.priority).toBe(0);
    expect(entry.score).toBeGreaterThanOrEqual(0);
    const { status, body } = await api(`/interactions/${entry.id}`);
    expect(status).toBe(200);
    const interaction = body.interaction;
    expect(interaction.state).toBe('waiting');
    expect(interaction.queueId).toBe('default');
    expect(interaction.message.textPreview).toContain('Order 4711');
    expect(interaction.message.recipients).toEqual(['help@support.example.test']);
    expect(interaction.message.verdicts).toMatchObject({ spf: 'PASS', dkim: 'GRAY', dmarc: 'PASS' });
    expect(interaction.message.verdicts.spam).toBe('DISABLED');
    expect(interaction.trail.map((t: { step: string }) => t.step)).toEqual(['received', 'thread', 'address', 'language', 'queued']);
    const raw = await s3.send(new GetObjectCommand({ Bucket: interaction.message.raw.bucket, Key: interaction.message.raw.key }));
    const rawText = await raw.Body!.transformToString();
    expect(rawText).toMatch(/^Return-Path: <ada@customer\.example>\r\nReceived: from /);
    expect(rawText).toContain('Subject: Where is my parcel?');
  });

  it('stores attachments in S3 and lists them on the interaction', async () => {
    // Prepare
    const pdf = Buffer.alloc(300_000, 7);
    pdf.write('%PDF-1.4');

    // Act
    await sendMail(runtime.smtp.port, {
      from: 'bob@customer.example',
      to: 'help@support.example.test',
      subject: 'Invoice attached',
      text: 'See attachment',
      attachments: [{ filename: 'invoice.pdf', content: pdf, contentType: 'application/pdf' }],
    });

    // Assess
    const entry = await waitingBySubject('Invoice attached');
    const { body } = await api(`/interactions/${entry.id}`);
    const [attachment] = body.interaction.message.attachments;
    expect(attachment).toMatchObject({ filename: 'invoice.pdf', contentType: 'application/pdf', size: pdf.length });
    const stored = await s3.send(new GetObjectCommand({ Bucket: attachment.blob.bucket, Key: attachment.blob.key }));
    const bytes = await bytesOf(stored.Body);
    expect(sha256Hex(bytes)).toBe(sha256Hex(pdf));
  });

  it('refuses a recipient on a domain it does not serve with 550, as SES does', async () => {
    // Act
    const refused = sendMail(runtime.smtp.port, { from: 'eve@elsewhere.example', to: 'someone@not-ours.example', subject: 'Wrong door', text: 'hello' });

    // Assess
    await expect(refused).rejects.toMatchObject({ responseCode: 550, rejected: ['someone@not-ours.example'] });
  });

  it('quarantines a stored message for a domain it does not serve, visible through the API', async () => {
    // Prepare: a message SES stored for a domain that is not served (removed while it was in flight)
    const sesId = `notours${Date.now()}`;
    const { mailBucket } = runtime.resources;
    const raw = 'From: eve@elsewhere.example\r\nTo: someone@not-ours.example\r\nSubject: Wrong door\r\n\r\nhello\r\n';
    await s3.send(new PutObjectCommand({ Bucket: mailBucket, Key: `inbound/${sesId}`, Body: raw }));
    const mail = { messageId: sesId, mailFrom: 'eve@elsewhere.example', recipients: ['someone@not-ours.example'], receivedAt: new Date() };
    const verdicts = { spam: 'PASS', virus: 'PASS', spf: 'GRAY', dkim: 'GRAY', dmarc: 'GRAY' } as const;

    // Act
    await redeliver(JSON.stringify(sesReceiptNotification({ ...mail, verdicts, bucket: mailBucket, key: `inbound/${sesId}`, topicArn: 'arn:aws:sns:local:0:in' })), 1);

    // Assess
    const found = await eventually(
      async () => {
        const { body } = await api('/quarantine');
        return body.interactions?.find((i: { subject: string }) => i.subject === 'Wrong door');
      },
      { what: 'the quarantined interaction' },
    );
    expect(found.quarantine.reason).toBe('no-served-recipient');
    expect(found.recipients).toEqual(['someone@not-ours.example']);
    const { body } = await api(`/interactions/${found.id}`);
    expect(body.interaction.state).toBe('quarantined');
    expect(body.interaction.message.raw.key).toMatch(/^inbound\//);
  });

  it('turns a redelivered SES notification into no second interaction', async () => {
    // Prepare: capture the notification of one message by replaying what SES would publish again
    await sendMail(runtime.smtp.port, {
      from: 'carol@customer.example',
      to: 'help@support.example.test',
      subject: 'Delivered twice',
      text: 'once',
    });
    const first = await waitingBySubject('Delivered twice');
    const { body } = await api(`/interactions/${first.id}`);
    const m = body.interaction.message;
    const notification = {
      notificationType: 'Received',
      mail: { timestamp: m.receivedAt, source: m.mailFrom, messageId: m.transport.messageId, destination: m.recipients },
      receipt: {
        timestamp: m.receivedAt,
        recipients: m.recipients,
        action: { type: 'S3', bucketName: m.raw.bucket, objectKey: m.raw.key },
      },
    };

    // Act: at-least-once delivery hands the same notification over again, twice
    const routed = watchRouting();
    const redeliveries = await redeliver(JSON.stringify(notification), 2);

    // Assess: the queue drained and still holds exactly one interaction with that subject
    const list = await api('/queues/default/interactions?limit=200');
    const same = list.body.interactions.filter((i: { subject: string }) => i.subject === 'Delivered twice');
    expect(same).toHaveLength(1);
    // each redelivery was handled, as a duplicate of that interaction, and none failed or was dead-lettered
    const outcomes = await eventually(async () => routed.outcomes(redeliveries), { what: 'both redeliveries to be ingested' });
    expect(outcomes).toEqual([0, 1].map(() => ({ outcome: 'duplicate', interactionId: first.id })));
    expect(routed.failures(redeliveries)).toEqual([]);
    await expectNothingDeadLettered(`ses:${m.transport.messageId}`);
  });

  it('turns redeliveries while the first delivery is still in flight into no second interaction', async () => {
    // Prepare: a stored message, and its notification as SES would publish it
    const sesId = `inflight${Date.now()}`;
    const { mailBucket } = runtime.resources;
    const raw = 'From: erin@customer.example\r\nTo: help@support.example.test\r\nSubject: Delivered at once\r\n\r\nthrice\r\n';
    await s3.send(new PutObjectCommand({ Bucket: mailBucket, Key: `inbound/${sesId}`, Body: raw }));
    const mail = { messageId: sesId, mailFrom: 'erin@customer.example', recipients: ['help@support.example.test'], receivedAt: new Date() };
    const verdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'GRAY', dmarc: 'GRAY' } as const;
    const body = JSON.stringify(sesReceiptNotification({ ...mail, verdicts, bucket: mailBucket, key: `inbound/${sesId}`, topicArn: 'arn:aws:sns:local:0:in' }));
    const routed = watchRouting();

    // Act: the first delivery and two redeliveries arrive together and are routed side by side;
    // once they are done, one more redelivery
    const together = await redeliver(body, 3);
    const later = await redeliver(body, 1);

    // Assess: one interaction, routed once; no delivery failed or was dead-lettered
    const id = interactionIdFor(`ses:${sesId}`);
    const list = await api('/queues/default/interactions?limit=200');
    expect(list.body.interactions.filter((i: { subject: string }) => i.subject === 'Delivered at once').map((i: { id: string }) => i.id)).toEqual([id]);
    expect((await api(`/interactions/${id}`)).body.interaction.trail.map((t: { step: string }) => t.step)).toEqual(['received', 'thread', 'address', 'language', 'queued']);
    const outcomes = await eventually(async () => routed.outcomes(together), { what: 'the three deliveries to be ingested' });
    expect(routed.failures([...together, ...later])).toEqual([]);
    expect(outcomes.map((o) => o.interactionId)).toEqual([id, id, id]);
    // A copy starting while another is in flight resumes the unfinished ingest (same ids, conditional
    // writes) and ends queued as the same interaction: at least two did, so they did overlap.
    expect(outcomes.filter((o) => o.outcome !== 'duplicate').map((o) => o.outcome)).toEqual(expect.arrayContaining(['queued', 'queued']));
    expect(outcomes.every((o) => o.outcome === 'queued' || o.outcome === 'duplicate')).toBe(true);
    expect(await eventually(async () => routed.outcomes(later), { what: 'the later redelivery to be ingested' })).toEqual([{ outcome: 'duplicate', interactionId: id }]);
    await expectNothingDeadLettered(`ses:${sesId}`);
  });

  it('fails only a malformed record: the good one is routed, the bad one reaches the DLQ after retries', async () => {
    // Act
    await sqs.send(new SendMessageCommand({ QueueUrl: runtime.queues.inboundUrl, MessageBody: '{"not":"an SES event"}' }));
    await sendMail(runtime.smtp.port, {
      from: 'dan@customer.example',
      to: 'help@support.example.test',
      subject: 'Beside a bad record',
      text: 'fine',
    });

    // Assess
    await waitingBySubject('Beside a bad record');
    // The runtime's dead-letter recorder takes it from the DLQ and keeps it as a dead letter.
    const dead = await eventually(
      async () => {
        const r = await api('/dead-letters');
        const found = r.body.deadLetters.find((d: { reason: { code: string } }) => d.reason.code === 'malformed-event');
        return found ? (await api(`/dead-letters/${found.id}`)).body.deadLetter : undefined;
      },
      { timeoutMs: 30_000, what: 'the malformed record as a dead letter' },
    );
    expect(dead.body).toBe('{"not":"an SES event"}');
  });
});
