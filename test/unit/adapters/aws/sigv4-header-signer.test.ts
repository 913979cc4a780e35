/**
 * The pollers' header signer makes exactly the signature the SDK's SignatureV4 makes for the same
 * request (S3 PutObject unescaped with its payload hash, SQS POST with the payload hash header),
 * with and without a session token, across days, and with values SigV4 must canonicalize.
 */
import { createHash } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { SigV4HeaderSigner, type SigningCredentials } from '../../../../lambdas/adapters/aws/sigv4-header-signer.ts';

const plain: SigningCredentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const session: SigningCredentials = { ...plain, accessKeyId: 'ASIAEXAMPLE', sessionToken: 'FwoGZXIvYXdzEBYaDH//token+/=' };

/** The SDK's signature of the same request, as the SDK's clients configure their signer. */
async function sdkSigned(service: 's3' | 'sqs', region: string, credentials: SigningCredentials, method: string, path: string, headers: Record<string, string>, body: string, now: Date) {
  const signer = new SignatureV4({ service, region, credentials, sha256: Sha256, ...(service === 's3' && { uriEscapePath: false, applyChecksum: false }) });
  const request = { method, protocol: 'https:', hostname: headers.host!, path, query: {}, headers: { ...headers }, body };
  return ((await signer.sign(request as never, { signingDate: now })) as unknown as { headers: Record<string, string> }).headers;
}

const hash = (body: string) => createHash('sha256').update(body).digest('hex');

describe('SigV4HeaderSigner', () => {
  it.each([
    ['plain credentials', plain, new Date('2026-11-27T03:15:00.123Z')],
    ['a session token', session, new Date('2026-11-27T03:15:00Z')],
    ['the next day', plain, new Date('2026-11-28T00:00:01Z')],
  ])('signs an S3 PutObject as SignatureV4 does, with %s', async (_, credentials, now) => {
    // Prepare
    const body = 'From: a@b.test\r\n\r\nhello';
    const path = "/mail/polled/imap/srv-1/1700000000/42%20M%C3%A4rz%20%281%29%2A%27%21.eml";
    const headers = { host: 'mail.s3.eu-central-1.amazonaws.com', 'content-type': 'message/rfc822', 'content-length': String(body.length), 'x-amz-content-sha256': hash(body), 'x-amz-meta-postroom-receipt': 'eyJhIjoxfQ' };
    const signer = new SigV4HeaderSigner('s3', 'eu-central-1', { uriEscapePath: false });

    // Act
    const ours = signer.sign({ method: 'PUT', path, headers, payloadHash: hash(body), credentials, now });
    const again = signer.sign({ method: 'PUT', path, headers, payloadHash: hash(body), credentials, now });

    // Assess
    expect(ours).toEqual(await sdkSigned('s3', 'eu-central-1', credentials, 'PUT', path, headers, body, now));
    expect(again).toEqual(ours); // the cached signing key signs alike
  });

  it('signs an SQS SendMessageBatch as SignatureV4 does (path escaped, payload hash header)', async () => {
    // Prepare
    const body = JSON.stringify({ QueueUrl: 'https://sqs.eu-central-1.amazonaws.com/1/q', Entries: [{ Id: '0', MessageBody: '{"a":"ä"}' }] });
    const headers = { host: 'sqs.eu-central-1.amazonaws.com', 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessageBatch', 'x-amz-content-sha256': hash(body) };
    const now = new Date('2026-11-27T03:15:00Z');

    // Act
    const ours = new SigV4HeaderSigner('sqs', 'eu-central-1').sign({ method: 'POST', path: '/', headers, payloadHash: hash(body), credentials: session, now });

    // Assess
    expect(ours).toEqual(await sdkSigned('sqs', 'eu-central-1', session, 'POST', '/', headers, body, now));
  });

  it('canonicalizes values and paths as SignatureV4 does (blanks, line breaks, dot segments, unsignable headers)', async () => {
    // Prepare
    const body = '';
    const path = '/a/./b/../c d/';
    const headers = { host: 'example.test:8443', 'x-amz-meta-note': '  two  spaces\tand\r\na break ', 'user-agent': 'not signed', 'content-type': 'text/plain', 'x-amz-content-sha256': hash(body) };
    const now = new Date('2026-01-02T03:04:05Z');

    // Act
    const ours = new SigV4HeaderSigner('sqs', 'us-east-1').sign({ method: 'POST', path, headers, payloadHash: hash(body), credentials: plain, now });

    // Assess
    expect(ours.authorization).toContain('SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-meta-note,');
    const sdk = await sdkSigned('sqs', 'us-east-1', plain, 'POST', path, headers, body, now);
    expect(ours.authorization).toBe(sdk.authorization);
  });
});
