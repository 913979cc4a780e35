import { afterEach, describe, expect, it } from 'vitest';
import { startSmtpReceiver, type SmtpDelivery, type SmtpReceiver } from '../../../lambdas/local/smtp-receiver.ts';
import { sendMail } from '../../support/smtp-client.ts';

let receiver: SmtpReceiver | undefined;
afterEach(async () => {
  await receiver?.stop();
  receiver = undefined;
});

describe('SMTP receiver (local SES receiving stand-in)', () => {
  it('hands over the envelope and raw bytes and answers with the queue id', async () => {
    const got: SmtpDelivery[] = [];
    receiver = await startSmtpReceiver({ port: 0, deliver: async (m) => (got.push(m), 'abc123') });

    const info = await sendMail(receiver.port, { from: 'a@customer.example', to: ['Help@Support.Example.test'], subject: 's', text: 'body' });

    expect(info.response).toContain('queued as abc123');
    expect(got[0]).toMatchObject({ mailFrom: 'a@customer.example', recipients: ['help@support.example.test'], remoteAddress: '127.0.0.1' });
    expect(got[0]!.raw.toString()).toContain('Subject: s');
  });

  it('refuses a message over the size limit with 552 and delivers nothing', async () => {
    const got: SmtpDelivery[] = [];
    receiver = await startSmtpReceiver({ port: 0, maxMessageBytes: 1_000, deliver: async (m) => (got.push(m), 'x') });

    await expect(sendMail(receiver.port, { from: 'a@c.example', to: 'h@s.example', text: 'x'.repeat(5_000) })).rejects.toMatchObject({
      responseCode: 552,
    });
    expect(got).toHaveLength(0);
  });

  it('answers 451 when storing fails, so the sender retries instead of losing the mail', async () => {
    receiver = await startSmtpReceiver({ port: 0, deliver: async () => Promise.reject(new Error('S3 down')) });

    await expect(sendMail(receiver.port, { from: 'a@c.example', to: 'h@s.example', text: 'x' })).rejects.toMatchObject({ responseCode: 451 });
  });
});
