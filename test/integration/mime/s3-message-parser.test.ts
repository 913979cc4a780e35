import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Client } from '@aws-sdk/client-s3';
import { S3MessageParser } from '../../../lambdas/adapters/mime/s3-message-parser.ts';
import { DeploymentError, QuarantineError, TransientError } from '../../../lambdas/core/errors.ts';
import { MAIL_LIMITS } from '../../../lambdas/core/limits.ts';
import { LOCAL_CREDENTIALS } from '../../../lambdas/local/services.ts';
import { crlf, outcomeOf } from '../../unit/adapters/mime/mail-fixtures.ts';
import { startLocalS3, type LocalS3 } from './fauxqs-s3.ts';
import { sha256Hex } from '../../support/bytes.ts';


/** Deterministic bytes that do not compress to nothing, so a wrong offset shows in the hash. */
function bytesOf(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let x = seed;
  for (let i = 0; i < length; i++) out[i] = (x = (x * 1664525 + 1013904223) >>> 0) >>> 24;
  return out;
}

function messageWith(files: { name: string; type: string; bytes: Buffer }[], html: string): string {
  return crlf(
    'From: Customer <customer@example.com>',
    'To: support@example.org',
    'Subject: =?UTF-8?Q?R=C3=A9clamation?=',
    'Message-ID: <m1@example.com>',
    'Content-Type: multipart/mixed; boundary="mix"',
    '',
    '--mix',
    'Content-Type: text/html; charset=utf-8',
    '',
    html,
    ...files.flatMap((f) => [
      '--mix',
      `Content-Type: ${f.type}; name="${f.name}"`,
      `Content-Disposition: attachment; filename="${f.name}"`,
      'Content-Transfer-Encoding: base64',
      '',
      ...(f.bytes.toString('base64').match(/.{1,76}/g) ?? []),
    ]),
    '--mix--',
    '',
  );
}

describe('S3MessageParser on fauxqs S3', () => {
  let local: LocalS3;
  let parser: S3MessageParser;

  beforeAll(async () => {
    local = await startLocalS3();
    parser = new S3MessageParser(local.s3, local.partsBucket);
  });
  afterAll(async () => {
    await local?.stop();
  });

  it('streams every attachment into the parts bucket with the exact bytes, and sanitizes the HTML', async () => {
    // Prepare: one small file and one larger than a multipart-upload part (5 MiB)
    const files = [
      { name: 'note.txt', type: 'text/csv', bytes: bytesOf(1_000, 1) },
      { name: 'scan.pdf', type: 'application/pdf', bytes: bytesOf(6 * 1024 * 1024 + 123, 2) },
    ];
    await local.put('raw/m1.eml', messageWith(files, '<p>Hello <a href="javascript:evil()">you</a><script>x()</script></p>'));

    // Act
    const mail = await parser.parse({ bucket: local.rawBucket, key: 'raw/m1.eml' }, 'parts/i-1/');

    // Assess
    expect(mail.subject).toBe('Réclamation');
    expect(mail.html).toBe('<p>Hello <a rel="noopener noreferrer" target="_blank">you</a></p>');
    expect(mail.attachments.map((a) => [a.filename, a.size, a.blob?.key])).toEqual([
      ['note.txt', 1_000, 'parts/i-1/attachments/0'],
      ['scan.pdf', files[1]!.bytes.length, 'parts/i-1/attachments/1'],
    ]);
    for (const [i, file] of files.entries()) {
      const stored = await local.get(local.partsBucket, `parts/i-1/attachments/${i}`);
      expect(sha256Hex(stored)).toBe(sha256Hex(file.bytes));
      expect(mail.attachments[i]!.checksum).toBe(sha256Hex(file.bytes));
    }
  });

  it('stores a long text body beside the attachments', async () => {
    // Prepare
    const body = 'line of text\r\n'.repeat(1_000);
    await local.put('raw/long.eml', crlf('From: a@example.com', 'Subject: long', '', body));

    // Act
    const mail = await parser.parse({ bucket: local.rawBucket, key: 'raw/long.eml' }, 'parts/i-2/');

    // Assess
    expect(mail.textTruncated).toBe(true);
    expect(mail.textBlob).toMatchObject({ bucket: local.partsBucket, key: 'parts/i-2/body.txt' });
    expect((await local.get(local.partsBucket, 'parts/i-2/body.txt')).toString()).toContain('line of text\n'.repeat(999));
  });

  it('quarantines a missing raw object as raw-missing', async () => {
    // Act
    const { error } = await outcomeOf(parser.parse({ bucket: local.rawBucket, key: 'raw/never-stored.eml' }, 'parts/i-3/'));

    // Assess
    expect(error).toBeInstanceOf(QuarantineError);
    expect((error as QuarantineError).reason).toBe('raw-missing');
  });

  it('leaves a missing raw bucket to be retried into a dead letter, never quarantined as raw-missing', async () => {
    // Act
    const { error } = await outcomeOf(parser.parse({ bucket: 'no-such-raw-bucket', key: 'raw/m1.eml' }, 'parts/i-3/'));

    // Assess: the deployment is broken, not the message
    expect(error).toBeInstanceOf(DeploymentError);
    expect((error as DeploymentError).code).toBe('storage-misconfigured');
    expect((error as DeploymentError).message).toMatch(/^reading s3:\/\/no-such-raw-bucket\/raw\/m1\.eml failed: NoSuchBucket: /);
  });

  it('quarantines an object over the size limit as too-large from its length alone', async () => {
    // Prepare: 64 KB of junk that would take the parser a while; the limit is 1 KB
    await local.put('raw/big.eml', Buffer.alloc(64 * 1024, 0x41));
    const strict = new S3MessageParser(local.s3, local.partsBucket, { ...MAIL_LIMITS, maxMessageBytes: 1024 });

    // Act
    const { error } = await outcomeOf(strict.parse({ bucket: local.rawBucket, key: 'raw/big.eml' }, 'parts/i-4/'));

    // Assess
    expect((error as QuarantineError).reason).toBe('too-large');
    expect((error as QuarantineError).message).toContain('65536 bytes');
  });

  it('reports storage that cannot be reached as a TransientError', async () => {
    // Prepare: a client pointing at a closed port
    const dead = new S3Client({ endpoint: 'http://127.0.0.1:9', forcePathStyle: true, region: 'us-east-1', credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
    const offline = new S3MessageParser(dead, local.partsBucket);

    // Act
    const { error } = await outcomeOf(offline.parse({ bucket: local.rawBucket, key: 'raw/m1.eml' }, 'parts/i-5/'));

    // Assess
    expect(error).toBeInstanceOf(TransientError);
    expect((error as TransientError).code).toBe('storage-unavailable');
  });

  it('reports a missing parts bucket as a Postroom error, never a raw SDK error', async () => {
    // Prepare
    await local.put('raw/one-part.eml', messageWith([{ name: 'a.bin', type: 'application/octet-stream', bytes: bytesOf(100, 3) }], '<p>x</p>'));
    const misconfigured = new S3MessageParser(local.s3, 'no-such-bucket');

    // Act
    const { error } = await outcomeOf(misconfigured.parse({ bucket: local.rawBucket, key: 'raw/one-part.eml' }, 'parts/i-6/'));

    // Assess
    expect(error).toBeInstanceOf(Error);
    expect((error as { code?: string }).code).toMatch(/^storage-/);
    // A missing bucket is the deployment's fault: retried into a dead letter, redriven after the fix.
    expect(error).toBeInstanceOf(DeploymentError);
    expect((error as DeploymentError).code).toBe('storage-misconfigured');
  });
});
