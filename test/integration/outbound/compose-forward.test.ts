/**
 * A forward's original in the composed MIME (RFC 2046 5.2.1): a `message/rfc822` part written as
 * its own bytes (7bit or 8bit, never base64, never application/octet-stream), which a parser reads
 * back as the original message; and a boundary that the original holds is not used around it.
 * Against the file-backed local S3.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3OutboundComposer } from '../../../lambdas/adapters/mime/compose-outbound.ts';
import type { OutboxRecord } from '../../../lambdas/core/outbound/outbox.ts';
import { startS3FileServer, type S3FileServer } from '../../../lambdas/local/s3-file-server.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { bytesOf } from '../../support/bytes.ts';
import { outboxRecord } from '../../support/outbox-record.ts';

const Bucket = 'mail';
let root: string;
let server: S3FileServer;
let s3: S3Client;
let composer: S3OutboundComposer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'postroom-forward-'));
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

/** Stores `original` as the raw message and composes a forward of it; answers the composed bytes. */
async function forward(original: string, over: Partial<OutboxRecord> = {}): Promise<Buffer> {
  const key = `raw/${over.id ?? 'o-fwd'}-${Buffer.byteLength(original)}`;
  await s3.send(new PutObjectCommand({ Bucket, Key: key, Body: original }));
  const size = Buffer.byteLength(original);
  const attachments = [{ filename: 'Meine Bestellung.eml', contentType: 'message/rfc822', size, blob: { bucket: Bucket, key, size } }];
  const ref = await composer.compose(outboxRecord({ id: 'o-fwd', purpose: 'forward', subject: 'Fwd: Meine Bestellung', attachments, ...over }));
  return bytesOf((await s3.send(new GetObjectCommand({ Bucket, Key: ref.key }))).Body);
}

/** The header block of the part whose Content-Type is message/rfc822. */
function messagePartHeaders(raw: Buffer): string {
  const text = raw.toString('latin1');
  const at = text.search(/^Content-Type: message\/rfc822/im);
  expect(at).toBeGreaterThan(0);
  return text.slice(at, text.indexOf('\r\n\r\n', at));
}

const ORIGINAL_8BIT = [
  'From: Kundin <kundin@example.de>',
  'To: support@support.example.com',
  'Subject: Meine Bestellung',
  'Message-ID: <orig-1@example.de>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  'Content-Transfer-Encoding: 8bit',
  '',
  'Grüße aus Köln, wo bleibt meine Lieferung?',
  '',
].join('\n'); // bare LFs, as some mailboxes store them

describe('a forward\'s original in the composed MIME', () => {
  it('is a message/rfc822 part in 8bit that parses back to the original, line breaks made CRLF', async () => {
    // Act
    const raw = await forward(ORIGINAL_8BIT);

    // Assess
    const headers = messagePartHeaders(raw);
    expect(headers).toContain('Content-Transfer-Encoding: 8bit');
    expect(headers).toMatch(/Content-Disposition: attachment;\r\n filename="Meine Bestellung\.eml"/);
    expect(raw.toString('latin1')).not.toMatch(/application\/octet-stream/);
    const parsed = await simpleParser(raw);
    const attached = parsed.attachments.find((a) => a.contentType === 'message/rfc822');
    expect(attached?.filename).toBe('Meine Bestellung.eml');
    expect(attached!.content.toString('utf8')).toBe(ORIGINAL_8BIT.replace(/\n/g, '\r\n'));
    const inner = await simpleParser(attached!.content);
    expect([inner.subject, inner.messageId, inner.text?.trim()]).toEqual(['Meine Bestellung', '<orig-1@example.de>', 'Grüße aus Köln, wo bleibt meine Lieferung?']);
  });

  it('is labelled 7bit when the original is ASCII, binary when it has a line over 998 octets', async () => {
    const ascii = await forward('Subject: plain\r\n\r\nhello\r\n', { id: 'o-fwd-7bit' });
    const long = await forward(`Subject: long\r\n\r\n${'x'.repeat(999)}\r\n`, { id: 'o-fwd-long' });
    expect(messagePartHeaders(ascii)).toContain('Content-Transfer-Encoding: 7bit');
    expect(messagePartHeaders(long)).toContain('Content-Transfer-Encoding: binary');
  });

  it('is enclosed by a boundary that no line of the original holds', async () => {
    // Prepare: the boundary a harmless original of this record gets, then an original holding it
    const first = await forward('Subject: one\r\n\r\nhello\r\n', { id: 'o-fwd-clash' });
    const boundary = /boundary="([^"]+)"/.exec(first.toString('latin1'))![1]!;
    const hostile = `Subject: two\r\n\r\nbefore\r\n--${boundary}\r\nContent-Type: text/plain\r\n\r\nsmuggled\r\n--${boundary}--\r\n`;

    // Act
    const raw = await forward(hostile, { id: 'o-fwd-clash', text: 'See below.\r\n' });

    // Assess
    const used = /boundary="([^"]+)"/.exec(raw.toString('latin1'))![1]!;
    expect(used).not.toBe(boundary);
    expect(hostile).not.toContain(`--${used}`);
    const parsed = await simpleParser(raw);
    expect(parsed.text?.trim()).toBe('See below.');
    expect(parsed.attachments.map((a) => a.contentType)).toEqual(['message/rfc822']);
    expect(parsed.attachments[0]!.content.toString('latin1')).toBe(hostile);
  });
});
