import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RECIPIENT_REJECTED, startSmtpReceiver, TEMPORARY_FAILURE, type SmtpDelivery, type SmtpReceiver } from '../../../lambdas/local/smtp-receiver.ts';
import { sendMail } from '../../support/smtp-client.ts';

let receiver: SmtpReceiver | undefined;
let spoolDir: string;
beforeAll(async () => {
  spoolDir = await mkdtemp(join(tmpdir(), 'postroom-spool-'));
});
afterEach(async () => {
  await receiver?.stop();
  receiver = undefined;
});
afterAll(async () => {
  await rm(spoolDir, { recursive: true, force: true });
});

describe('SMTP receiver (local SES receiving stand-in)', () => {
  it('hands over the envelope and raw bytes and answers with the queue id', async () => {
    const got: SmtpDelivery[] = [];
    const raw: string[] = [];
    receiver = await startSmtpReceiver({ port: 0, spoolDir, deliver: async (m) => (got.push(m), raw.push(await text(m.message.open())), 'abc123') });

    const info = await sendMail(receiver.port, { from: 'a@customer.example', to: ['Help@Support.Example.test'], subject: 's', text: 'body' });

    expect(info.response).toContain('queued as abc123');
    expect(got[0]).toMatchObject({ mailFrom: 'a@customer.example', recipients: ['help@support.example.test'], remoteAddress: '127.0.0.1' });
    expect(raw[0]).toContain('Subject: s');
    expect(got[0]!.message.size).toBe(Buffer.byteLength(raw[0]!));
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('refuses a recipient it does not accept with 550 and delivers to the others only', async () => {
    // Prepare
    const got: SmtpDelivery[] = [];
    receiver = await startSmtpReceiver({ port: 0, spoolDir, acceptsRecipient: async (a) => a.endsWith('@ours.example'), deliver: async (m) => (got.push(m), 'x') });

    // Act
    const info = await sendMail(receiver.port, { from: 'a@c.example', to: ['help@ours.example', 'x@theirs.example'], text: 'x' });

    // Assess
    expect(info.rejected).toEqual(['x@theirs.example']);
    expect(info.rejectedErrors?.[0]).toMatchObject({ responseCode: 550, response: `550 ${RECIPIENT_REJECTED}` });
    expect(got.map((m) => m.recipients)).toEqual([['help@ours.example']]);
  });

  it('answers 451 at RCPT when it cannot tell whether a recipient is accepted', async () => {
    // Prepare
    const logged: string[] = [];
    receiver = await startSmtpReceiver({
      port: 0,
      spoolDir,
      acceptsRecipient: async () => Promise.reject(new Error('DynamoDB Scan: connection refused')),
      deliver: async () => 'x',
      onError: (err) => logged.push(err.message),
    });

    // Act
    const failed = sendMail(receiver.port, { from: 'a@c.example', to: 'help@ours.example', text: 'x' });

    // Assess: the sender retries later; the detail goes to the local log only
    await expect(failed).rejects.toMatchObject({ responseCode: 451 });
    await expect(failed).rejects.toThrow(TEMPORARY_FAILURE);
    expect(logged).toEqual(['DynamoDB Scan: connection refused']);
  });

  it('refuses a message over the size limit with 552 and delivers nothing', async () => {
    const got: SmtpDelivery[] = [];
    receiver = await startSmtpReceiver({ port: 0, spoolDir, maxMessageBytes: 1_000, deliver: async (m) => (got.push(m), 'x') });

    const refused = sendMail(receiver.port, { from: 'a@c.example', to: 'h@s.example', text: 'x'.repeat(5_000) });

    await expect(refused).rejects.toMatchObject({ responseCode: 552 });
    await expect(refused).rejects.toThrow(/exceeds the maximum size of 1000 bytes/);
    expect(got).toHaveLength(0);
    expect(await readdir(spoolDir)).toEqual([]);
  });

  it('answers 451 when storing fails, so the sender retries instead of losing the mail', async () => {
    const logged: string[] = [];
    const sdkText = 'UnknownError: @aws-sdk XML parse error at 127.0.0.1:4566';
    receiver = await startSmtpReceiver({
      port: 0,
      spoolDir,
      deliver: async () => Promise.reject(new Error(sdkText)),
      onError: (err) => logged.push(err.message),
    });

    const failed = sendMail(receiver.port, { from: 'a@c.example', to: 'h@s.example', text: 'x' });

    await expect(failed).rejects.toMatchObject({ responseCode: 451 });
    const response = String(((await failed.catch((e: unknown) => e)) as { response: string }).response);
    expect(response).toBe(`451 ${TEMPORARY_FAILURE}`);
    expect(response).not.toMatch(/sdk|xml|127\.0\.0\.1/i);
    expect(logged).toEqual([sdkText]);
    expect(await readdir(spoolDir)).toEqual([]);
  });
});
