/**
 * What aws-ses-v2-local cannot show (test/integration/outbound/ses-transport.test.ts covers the
 * send itself): the configuration set, the tags and the envelope destination of the request, and
 * SES's refusals, which the stand-in never answers. Here against a mocked SES v2 client.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import {
  AccountSuspendedException,
  BadRequestException,
  LimitExceededException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  NotFoundException,
  SendEmailCommand,
  SendingPausedException,
  SESv2Client,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SesTransport, sesSendError } from '../../../../lambdas/adapters/ses/ses-transport.ts';
import { DeploymentError, PermanentError, TransientError } from '../../../../lambdas/core/errors.ts';
import type { OutboxRecord } from '../../../../lambdas/core/outbound/outbox.ts';

const client = new SESv2Client({ region: 'eu-west-1' });
const ses = mockClient(client);
afterEach(() => ses.reset());

const RAW = Buffer.from('From: a@example.test\r\nTo: b@customer.test\r\nSubject: hi\r\n\r\nhello\r\n');
const s3 = { send: async () => ({ Body: { transformToByteArray: async () => new Uint8Array(RAW) } }) } as unknown as S3Client;
const ROUTE = { kind: 'ses', identity: 'example.test', reason: 'verified' } as const;
const ENVELOPE = { returnPath: 'support@example.test', recipients: ['b@customer.test', 'hidden@example.test'] };
const RECORD = { id: 'o-0123456789abcdef0123', interactionId: 'i-abc', from: { address: 'support@example.test', name: 'Support' } } as OutboxRecord;
const meta = { $metadata: {} };

describe('SesTransport request', () => {
  it('sends the raw bytes from the From address to every envelope recipient, through the configuration set, tagged', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
    const sent = await new SesTransport(client, s3, { configurationSetName: 'postroom-cs' }).send(ROUTE, { bucket: 'b', key: 'outbound/o.eml' }, ENVELOPE, RECORD);
    expect(sent).toEqual({ providerMessageId: 'ses-1' });
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input).toEqual({
      FromEmailAddress: 'support@example.test',
      Destination: { ToAddresses: ['b@customer.test', 'hidden@example.test'] },
      Content: { Raw: { Data: new Uint8Array(RAW) } },
      ConfigurationSetName: 'postroom-cs',
      EmailTags: [{ Name: 'outbox', Value: 'o-0123456789abcdef0123' }, { Name: 'interaction', Value: 'i-abc' }],
    });
  });

  it('leaves out a tag value SES would refuse and the set when none is configured', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-2' });
    await new SesTransport(client, s3).send(ROUTE, { bucket: 'b', key: 'k' }, ENVELOPE, { ...RECORD, interactionId: 'i.with.dots' });
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input.ConfigurationSetName).toBeUndefined();
    expect(input.EmailTags).toEqual([{ Name: 'outbox', Value: 'o-0123456789abcdef0123' }]);
  });

  it('refuses an SMTP route without calling SES', async () => {
    const send = new SesTransport(client, s3).send({ kind: 'smtp', serverId: 's1', reason: 'owner' }, { bucket: 'b', key: 'k' }, ENVELOPE, RECORD);
    await expect(send).rejects.toBeInstanceOf(DeploymentError);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
  });

  it('turns a refusal of SES into a permanent failure with its reason', async () => {
    ses.on(SendEmailCommand).rejects(new MessageRejected({ message: 'Email address is not verified.', ...meta }));
    await expect(new SesTransport(client, s3).send(ROUTE, { bucket: 'b', key: 'k' }, ENVELOPE, RECORD)).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'ses.message-rejected',
      message: expect.stringContaining('Email address is not verified.'),
    });
  });
});

describe('sesSendError', () => {
  it.each([
    [new MessageRejected({ message: 'm', ...meta }), 'ses.message-rejected'],
    [new MailFromDomainNotVerifiedException({ message: 'm', ...meta }), 'ses.mail-from-not-verified'],
    [new AccountSuspendedException({ message: 'm', ...meta }), 'ses.account-suspended'],
    [new SendingPausedException({ message: 'm', ...meta }), 'ses.sending-paused'],
    [new BadRequestException({ message: 'm', ...meta }), 'ses.request-invalid'],
  ])('%s is permanent: %s', (err, code) => {
    const mapped = sesSendError(err);
    expect(mapped).toBeInstanceOf(PermanentError);
    expect(mapped).not.toBeInstanceOf(DeploymentError);
    expect(mapped.code).toBe(code);
  });

  it.each([
    ['TooManyRequests', new TooManyRequestsException({ message: 'slow down', ...meta })],
    ['LimitExceeded (the sending rate)', new LimitExceededException({ message: 'Maximum sending rate exceeded.', ...meta })],
    ['Throttling', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } })],
    ['a 5xx', Object.assign(new Error('oops'), { name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 } })],
    ['a reset socket', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
  ])('%s is transient', (_name, err) => {
    const mapped = sesSendError(err);
    expect(mapped).toBeInstanceOf(TransientError);
    expect(mapped.code).toBe('sending-unavailable');
  });

  it('treats a missing configuration set or a denied permission as the deployment\'s fault', () => {
    expect(sesSendError(new NotFoundException({ message: 'Configuration set <x> does not exist.', ...meta }))).toMatchObject({ name: 'DeploymentError', code: 'sending-misconfigured' });
    expect(sesSendError(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }))).toMatchObject({ code: 'sending-misconfigured' });
  });
});
