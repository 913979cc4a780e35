/**
 * Mail at SES's 40 MB limit through the local runtime's SMTP, in process: a message near the limit
 * becomes an interaction whose attachment downloads complete (presigned GET on the local S3).
 * The oversized case is in storage-memory.test.ts, where the runtime's memory is measured alone.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIL_LIMITS } from '../../../lambdas/core/limits.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { eventually } from '../../support/eventually.ts';
import { sendMail } from '../../support/smtp-client.ts';
import { startTestDns, type TestDnsServer } from '../../support/dns-server.ts';

const MiB = 1024 * 1024;
let runtime: LocalRuntime;
let stateDir: string;
let dns: TestDnsServer;
let s3: S3Client;

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function interactionBySubject(subject: string, timeoutMs = 20_000) {
  const entry = await eventually(
    async () => {
      const res = await fetch(`${runtime.apiUrl}/queues/default/interactions`);
      const body = (await res.json()) as { interactions?: { id: string; subject: string }[] };
      return body.interactions?.find((i) => i.subject === subject);
    },
    { what: `"${subject}" to wait in the default queue`, timeoutMs },
  );
  const res = await fetch(`${runtime.apiUrl}/interactions/${entry.id}`);
  return ((await res.json()) as { interaction: any }).interaction;
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'postroom-large-'));
  dns = await startTestDns({ 'customer.example': ['v=spf1 ip4:127.0.0.1 -all'] });
  runtime = await startLocalRuntime({
    memory: true,
    smtpPort: 0,
    apiPort: 0,
    stateDir,
    domains: ['support.example.test'],
    visibilityTimeoutSeconds: 120,
    dnsServers: [dns.server],
  });
  s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: runtime.endpoints.s3, forcePathStyle: true });
}, 60_000);

afterAll(async () => {
  s3?.destroy();
  await runtime?.stop();
  await dns?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe('large mail through the local runtime', () => {
  it('turns a 40 MB message into an interaction whose attachment downloads complete', async () => {
    // Prepare: base64 makes 29 MiB of attachment about 39.7 MiB of message, just under 40 MiB.
    const attachment = randomBytes(29 * MiB);

    // Act
    await sendMail(runtime.smtp.port, {
      from: 'ada@customer.example',
      to: 'help@support.example.test',
      subject: 'The big scan',
      text: 'Scan attached',
      attachments: [{ filename: 'scan.bin', content: attachment, contentType: 'application/octet-stream' }],
    });

    // Assess
    const interaction = await interactionBySubject('The big scan', 120_000);
    const raw = await s3.send(new HeadObjectCommand({ Bucket: interaction.message.raw.bucket, Key: interaction.message.raw.key }));
    expect(raw.ContentLength).toBeGreaterThan(39 * MiB);
    expect(raw.ContentLength).toBeLessThanOrEqual(MAIL_LIMITS.maxMessageBytes + 4096);
    const [stored] = interaction.message.attachments;
    expect(stored).toMatchObject({ filename: 'scan.bin', size: attachment.length });
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: stored.blob.bucket, Key: stored.blob.key }), { expiresIn: 300 });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(sha256(Buffer.from(await res.arrayBuffer()))).toBe(sha256(attachment));
  }, 180_000);
});
