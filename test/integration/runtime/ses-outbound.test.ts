/**
 * The local runtime's SES stand-in (issue 11 item 7): the runtime starts aws-ses-v2-local, points
 * the SDK's SES v2 endpoint at it (so a handler's `new SESv2Client({})` sends there, as the SES
 * transport does in Lambda), and records where its captured mail is read in `.postroom/runtime.json`.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesTransport } from '../../../lambdas/adapters/ses/ses-transport.ts';
import type { OutboxRecord } from '../../../lambdas/core/outbound/outbox.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { readCapturedSesMail } from '../../../lambdas/local/ses-outbound.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { plainMessage } from '../../support/mail-builder.ts';

let runtime: LocalRuntime;
let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'postroom-ses-outbound-'));
  runtime = await startLocalRuntime({ memory: true, smtpPort: 0, apiPort: 0, stateDir, domains: ['support.example.test'] });
});

afterAll(async () => {
  await runtime?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe('SES sending on the local runtime', () => {
  it('captures what the SES transport sends with the environment\'s client, readable from the recorded endpoint', async () => {
    // Prepare: a composed message in the runtime's mail bucket, as the sender stores it
    const s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: runtime.endpoints.s3, forcePathStyle: true });
    const key = 'outbound/o-local.eml';
    await s3.send(new PutObjectCommand({ Bucket: runtime.resources.mailBucket, Key: key, Body: plainMessage({ subject: 'Local SES', from: 'help@support.example.test', to: 'ada@customer.example' }, 'Hello from the outbox') }));
    const record = { id: 'o-local', from: 'help@support.example.test' } as OutboxRecord;

    // Act: the client as a handler builds it, from the environment alone
    const transport = new SesTransport(new SESv2Client({}), s3);
    const sent = await transport.send({ kind: 'ses', identity: 'support.example.test', reason: 'verified' }, { bucket: runtime.resources.mailBucket, key }, { returnPath: 'help@support.example.test', recipients: ['ada@customer.example'] }, record);

    // Assess
    const state = JSON.parse(await readFile(join(stateDir, 'runtime.json'), 'utf8')) as { sesOutboundUrl: string };
    expect(state.sesOutboundUrl).toBe(runtime.endpoints.sesOutbound);
    const captured = await readCapturedSesMail(state.sesOutboundUrl);
    expect(captured.filter((m) => m.messageId === sent.providerMessageId).map((m) => [m.subject, m.to, m.text])).toEqual([['Local SES', ['ada@customer.example'], 'Hello from the outbox\n']]);
    s3.destroy();
  });
});
