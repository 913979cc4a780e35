/**
 * S3MailContent against a real local S3 (fauxqs) through the API's signed S3 calls: presigned URLs
 * identical to the SDK presigner's,
 * bounded text reads, streams, and a missing object as not-found.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { callContextOf, SignedS3 } from '../../../lambdas/adapters/aws/signed-request.ts';
import { S3MailContent } from '../../../lambdas/adapters/content/s3-mail-content.ts';
import { DeploymentError, NotFoundError } from '../../../lambdas/core/errors.ts';
import { startLocalS3, type LocalS3 } from '../mime/fauxqs-s3.ts';

let local: LocalS3;
let signed: SignedS3;
const bytes = randomBytes(70_000);

beforeAll(async () => {
  local = await startLocalS3();
  signed = new SignedS3(callContextOf(local.s3), local.fauxqs.endpoint);
  await local.put('parts/i-1/attachments/0', bytes);
  await local.put('parts/i-1/body.txt', `${'ä'.repeat(10)}tail`);
});

afterAll(async () => {
  await local?.stop();
});

describe('SignedS3', () => {
  it('presigns exactly the URL the SDK presigner makes for the same GET, key encoding included', async () => {
    // Prepare: AWS addressing (no endpoint override), fixed credentials and time
    const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', sessionToken: 'token/with+chars' };
    const sdk = new S3Client({ region: 'eu-west-1', credentials });
    const ours = new SignedS3(callContextOf(sdk));
    const signingDate = new Date('2026-11-26T12:00:00Z');
    const key = "parts/i-1/attachments/0/Rechnung März (1)*'!.pdf";
    const disposition = `attachment; filename="Rechnung M_rz.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf`;

    // Act
    const expected = new URL(
      await getSignedUrl(sdk, new GetObjectCommand({ Bucket: 'mail-bucket', Key: key, ResponseContentDisposition: disposition, ResponseContentType: 'application/pdf' }), { expiresIn: 300, signingDate }),
    );
    const actual = new URL(
      await ours.presignGet('mail-bucket', key, { 'x-id': 'GetObject', 'x-amz-checksum-mode': 'ENABLED', 'response-content-disposition': disposition, 'response-content-type': 'application/pdf' }, 300, signingDate),
    );

    // Assess: same origin, path and every signed parameter, so S3 accepts ours wherever it accepts the SDK's
    expect(`${actual.origin}${actual.pathname}`).toBe(`${expected.origin}${expected.pathname}`);
    expect(Object.fromEntries([...actual.searchParams].sort())).toEqual(Object.fromEntries([...expected.searchParams].sort()));
    expect(actual.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    sdk.destroy();
  });
});

describe('S3MailContent', () => {
  it('presigns a 5-minute GET with the download name and type, which the local S3 serves', async () => {
    // Prepare
    const now = new Date('2026-11-26T12:00:00Z');
    const content = new S3MailContent(signed, 'presign', 300, () => now);
    const blob = { bucket: local.rawBucket, key: 'parts/i-1/attachments/0' };

    // Act
    const link = await content.link(blob, { filename: 'Rechnung März.pdf', contentType: 'application/pdf' });
    const res = await fetch(link!.url);

    // Assess
    const url = new URL(link!.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${local.fauxqs.endpoint}/${local.rawBucket}/parts/i-1/attachments/0`);
    expect(url.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(url.searchParams.get('response-content-disposition')).toBe(`attachment; filename="Rechnung M_rz.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf`);
    expect(url.searchParams.get('response-content-type')).toBe('application/pdf');
    expect(link!.expiresAt).toBe('2026-11-26T12:05:00.000Z');
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('answers no link in stream mode, and streams the object instead', async () => {
    // Prepare
    const content = new S3MailContent(signed, 'stream');
    const blob = { bucket: local.rawBucket, key: 'parts/i-1/attachments/0' };

    // Act
    const link = await content.link(blob, { filename: 'a.bin', contentType: 'application/octet-stream' });
    const { body, size } = await content.stream(blob);

    // Assess
    expect(link).toBeUndefined();
    expect(size).toBe(bytes.length);
    expect(Buffer.from(await new Response(body).arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('reads a bounded prefix of a text body without splitting a character', async () => {
    // Prepare: 10 two-byte characters then "tail"
    const content = new S3MailContent(signed, 'stream');
    const blob = { bucket: local.rawBucket, key: 'parts/i-1/body.txt' };

    // Act
    const cut = await content.readText(blob, 5);
    const whole = await content.readText(blob, 1_000);

    // Assess
    expect(cut).toEqual({ text: 'ää', truncated: true });
    expect(whole).toEqual({ text: `${'ä'.repeat(10)}tail`, truncated: false });
  });

  it('reports a missing object as not found', async () => {
    const content = new S3MailContent(signed, 'stream');
    await expect(content.readText({ bucket: local.rawBucket, key: 'parts/nope' }, 10)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reports a missing bucket as a broken deployment, not a missing object', async () => {
    const content = new S3MailContent(signed, 'stream');

    const failure = await content.readText({ bucket: 'no-such-bucket', key: 'parts/i-1/body.txt' }, 10).catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(DeploymentError);
    expect((failure as DeploymentError).code).toBe('storage-misconfigured');
    expect((failure as DeploymentError).message).toMatch(/^reading parts\/i-1\/body\.txt failed: NoSuchBucket: S3 GetObject answered 404: /);
  });
});
