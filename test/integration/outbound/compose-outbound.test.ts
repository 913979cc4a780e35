/**
 * The composer against the file-backed local S3 (lambdas/local/s3-file-server.ts): the MIME of an
 * outbox record, stored at `outbound/<id>.eml` with its size, bodies and attachments streamed from
 * S3, byte-exact against a golden message in German and Japanese, and the 40 MB limit counted on
 * the encoded bytes.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3OutboundComposer } from '../../../lambdas/adapters/mime/compose-outbound.ts';
import { MAIL_LIMITS } from '../../../lambdas/core/limits.ts';
import type { OutboundAttachment } from '../../../lambdas/core/outbound/outbox.ts';
import { startS3FileServer, type S3FileServer } from '../../../lambdas/local/s3-file-server.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { bytesOf, sha256Hex } from '../../support/bytes.ts';
import { outboxRecord } from '../../support/outbox-record.ts';

const Bucket = 'mail';
const GOLDEN = join(import.meta.dirname, '../../fixtures/outbound/golden-de-ja.eml');
let root: string;
let server: S3FileServer;
let s3: S3Client;
let composer: S3OutboundComposer;

/** Deterministic bytes that do not compress to nothing. */
function bytes(length: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let x = seed;
  for (let i = 0; i < length; i++) out[i] = (x = (x * 1664525 + 1013904223) >>> 0) >>> 24;
  return out;
}

async function upload(key: string, body: Buffer | string): Promise<OutboundAttachment['blob']> {
  await s3.send(new PutObjectCommand({ Bucket, Key: key, Body: body }));
  return { bucket: Bucket, key, size: Buffer.byteLength(body) };
}

async function stored(key: string): Promise<Buffer> {
  return bytesOf((await s3.send(new GetObjectCommand({ Bucket, Key: key }))).Body);
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'postroom-compose-'));
  server = await startS3FileServer({ root, durable: false });
  s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: server.endpoint, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket }));
  composer = new S3OutboundComposer(s3, { bucket: Bucket });
});

afterAll(async () => {
  s3?.destroy();
  await server?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('S3OutboundComposer', () => {
  it('composes German and Japanese names, subject and file name byte for byte as the golden message', async () => {
    // Prepare
    const blob = await upload('uploads/golden', 'Rechnung / 請求書\n');
    const record = outboxRecord({
      id: 'o-golden',
      purpose: 'auto-acknowledgement',
      from: { name: 'Kundenservice Müller & Söhne', address: 'service@Müller.Example' },
      to: [{ name: '山田 太郎', address: 'Taro.Yamada@例え.jp' }],
      cc: [{ name: 'Weiß, Jürgen', address: 'j.weiss@example.de' }],
      bcc: [{ name: 'Geheim', address: 'secret@bcc.example' }],
      hiddenBcc: ['audit@bcc.example'],
      replyTo: { name: 'Support', address: 'antwort@example.de' },
      subject: 'Ihre Anfrage zu Größe und Lieferung – お問い合わせありがとうございます [PR-ABC]',
      text: 'Grüße aus Köln\nお問い合わせありがとうございます。\n',
      html: '<p>Grüße aus Köln</p><p>お問い合わせありがとうございます。</p>',
      inReplyTo: '<orig@customer.example>',
      references: ['<root@customer.example>', '<orig@customer.example>'],
      attachments: [{ filename: 'Rechnung März 請求書.pdf', contentType: 'application/pdf', size: blob.size!, blob }],
    });

    // Act
    const ref = await composer.compose(record);

    // Assess
    const raw = await stored('outbound/o-golden.eml');
    expect(ref).toEqual({ bucket: Bucket, key: 'outbound/o-golden.eml', size: raw.length });
    expect(raw.toString('latin1')).toBe(await readFile(GOLDEN, 'latin1'));
    const mail = await simpleParser(raw);
    expect(mail.from?.value).toEqual([{ name: 'Kundenservice Müller & Söhne', address: 'service@müller.example' }]);
    expect(mail.to && !Array.isArray(mail.to) && mail.to.value).toEqual([{ name: '山田 太郎', address: 'Taro.Yamada@例え.jp' }]);
    expect(mail.subject).toBe(record.subject);
    expect(mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(mail.attachments.map((a) => [a.filename, a.content.toString('utf8')])).toEqual([['Rechnung März 請求書.pdf', 'Rechnung / 請求書\n']]);
    expect(raw.toString('latin1')).not.toMatch(/bcc\.example|^Bcc:/im);
  });

  it('streams a large body and attachment from S3 unchanged, the stored body winning over its preview', async () => {
    // Prepare
    // Bare LFs and CRLFs mixed: the stored body is written with CRLF line breaks (RFC 2046 canonical text).
    const textBlob = await upload('uploads/big-text', 'Zeile äöü\r\nZeile 2\n'.repeat(50_000));
    const pdf = bytes(6 * 1024 * 1024 + 5, 3);
    const blob = await upload('uploads/big.bin', pdf);
    const record = outboxRecord({ id: 'o-big', text: 'preview only', textBlob, attachments: [{ filename: 'scan.bin', contentType: 'Application/Octet-Stream', size: pdf.length, blob }] });

    // Act
    const ref = await composer.compose(record);

    // Assess
    const raw = await stored(ref.key);
    const mail = await simpleParser(raw);
    expect(mail.text).toBe('Zeile äöü\nZeile 2\n'.repeat(50_000));
    const textPart = raw.toString('latin1').split('Content-Transfer-Encoding: base64\r\n\r\n')[1]!.split('\r\n--')[0]!;
    expect(Buffer.from(textPart, 'base64').toString('utf8')).toBe('Zeile äöü\r\nZeile 2\r\n'.repeat(50_000));
    expect(mail.attachments).toHaveLength(1);
    expect(mail.attachments[0]!.contentType).toBe('application/octet-stream');
    expect(sha256Hex(mail.attachments[0]!.content)).toBe(sha256Hex(pdf));
  });

  it('fails with outbound.content-missing when an attachment is no longer stored', async () => {
    const blob = { bucket: Bucket, key: 'uploads/gone' };
    await expect(composer.compose(outboxRecord({ id: 'o-gone', attachments: [{ filename: 'a.pdf', contentType: 'application/pdf', size: 10, blob }] }))).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'outbound.content-missing',
    });
  });

  it('fails with outbound.address-invalid for a recipient that is not exactly one address, storing nothing', async () => {
    const record = outboxRecord({ id: 'o-evil', to: [{ address: 'a@example.org>, <b@example.org' }] });
    await expect(composer.compose(record)).rejects.toMatchObject({ code: 'outbound.address-invalid', message: expect.stringContaining('to[0]: address must') });
    await expect(s3.send(new HeadObjectCommand({ Bucket, Key: 'outbound/o-evil.eml' }))).rejects.toMatchObject({ name: 'NotFound' });
  });
});

describe('the 40 MB limit, counted on the encoded message', () => {
  it('accepts a message of exactly the limit and refuses one byte less of room', async () => {
    // Prepare: the exact encoded size of one message, then that size as the limit and one byte less.
    const blob = await upload('uploads/exact', bytes(100_000, 5));
    const record = (id: string) => outboxRecord({ id, attachments: [{ filename: 'x.bin', contentType: 'application/octet-stream', size: 100_000, blob }] });
    const size = (await composer.compose(record('o-measure'))).size!;

    // Act + Assess
    await expect(new S3OutboundComposer(s3, { bucket: Bucket, maxMessageBytes: size }).compose(record('o-exact'))).resolves.toMatchObject({ size });
    await expect(new S3OutboundComposer(s3, { bucket: Bucket, maxMessageBytes: size - 1 }).compose(record('o-over'))).rejects.toMatchObject({
      code: 'outbound.message-too-large',
    });
    await expect(s3.send(new HeadObjectCommand({ Bucket, Key: 'outbound/o-over.eml' }))).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('composes a 30 MB attachment under 40 MB, and refuses 31 MB from the sizes alone or, when a size lies, while streaming', async () => {
    // Prepare
    const fits = await upload('uploads/30mb', bytes(30_000_000, 9));
    const big = bytes(31_000_000, 11);
    const tooBig = await upload('uploads/31mb', big);
    const attach = (blob: OutboundAttachment['blob'], size: number): OutboundAttachment[] => [{ filename: 'big.bin', contentType: 'application/octet-stream', size, blob: { ...blob, size } }];

    // Act
    const ok = await composer.compose(outboxRecord({ id: 'o-30mb', attachments: attach(fits, 30_000_000) }));
    const early = composer.compose(outboxRecord({ id: 'o-31mb', attachments: attach({ bucket: Bucket, key: 'uploads/never-read' }, big.length) }));
    const late = composer.compose(outboxRecord({ id: 'o-31mb-lying', attachments: attach(tooBig, 1) }));

    // Assess
    expect(ok.size).toBeGreaterThan(40_000_000);
    expect(ok.size).toBeLessThanOrEqual(MAIL_LIMITS.maxMessageBytes);
    await expect(early).rejects.toMatchObject({ code: 'outbound.message-too-large' });
    await expect(late).rejects.toMatchObject({ code: 'outbound.message-too-large' });
    await expect(s3.send(new HeadObjectCommand({ Bucket, Key: 'outbound/o-31mb-lying.eml' }))).rejects.toMatchObject({ name: 'NotFound' });
  });
});
