/**
 * Issue 11 item 6, fuzzed: every field of an outbox record that reaches a header (from name and
 * address, to/cc names and addresses, reply-to, subject, Message-IDs, references, attachment
 * file names and content types) is drawn from well-formed, hostile (CR, LF, NUL, NEL, U+2028,
 * second addresses, encoded-word look-alikes) and arbitrary values; each record is composed on the
 * file S3 and parsed back with mailparser. A record is either refused with a reason, or its message
 * has exactly the headers and recipients given, no other header, and no Bcc anywhere.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { domainToASCII } from 'node:url';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { simpleParser, type AddressObject } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3OutboundComposer } from '../../../lambdas/adapters/mime/compose-outbound.ts';
import { attachmentContentType, attachmentFilename } from '../../../lambdas/adapters/mime/outbound-mime.ts';
import { PermanentError } from '../../../lambdas/core/errors.ts';
import { parseNamedAddress } from '../../../lambdas/core/outbound/address.ts';
import { flattenHeaderText } from '../../../lambdas/core/outbound/header-text.ts';
import { MAX_OUTGOING_REFERENCES } from '../../../lambdas/core/outbound/headers.ts';
import { wireMessageId } from '../../../lambdas/core/outbound/message-headers.ts';
import type { MailAddress } from '../../../lambdas/core/message.ts';
import type { OutboundAttachment, OutboxRecord } from '../../../lambdas/core/outbound/outbox.ts';
import { startS3FileServer, type S3FileServer } from '../../../lambdas/local/s3-file-server.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { bytesOf } from '../../support/bytes.ts';
import { outboxRecord } from '../../support/outbox-record.ts';

const Bucket = 'mail';
/** Bcc recipients live on this domain only, so any trace of it in a message is a leak. */
const BCC_DOMAIN = 'zq-bcc-7.example';
const ATTACHMENTS = [Buffer.from('%PDF-1.7 fake\n'), Buffer.from([0, 1, 2, 255, 13, 10, 46, 13, 10])];
let root: string;
let server: S3FileServer;
let s3: S3Client;
let composer: S3OutboundComposer;
let serial = 0;

/**
 * An attachment's type and bytes as a parser reads them back: a forwarded message stays
 * message/rfc822 with its own bytes, bare LFs made CRLF (embedded-message.ts); others as given.
 */
function writtenAs(contentType: string, bytes: Buffer): [string, string] {
  if (contentType.trim().toLowerCase() !== 'message/rfc822') return [attachmentContentType(contentType), bytes.toString('hex')];
  return ['message/rfc822', Buffer.from(bytes.toString('latin1').replace(/(?<!\r)\n/g, '\r\n'), 'latin1').toString('hex')];
}

/** Values written to break out of a header, or to be read as something else. */
const HOSTILE = [
  'x\r\nBcc: victim@evil.example',
  'x\nTo: victim@evil.example',
  'x\rCc: victim@evil.example',
  'x\u0000y',
  'x\u0085Bcc: victim@evil.example',
  'x\u2028Bcc: victim@evil.example',
  'x\u2029y',
  '"Bank" <ceo@bank.example>, Evil',
  'a@example.org, victim@evil.example',
  'a@example.org>\r\n\r\n<html>',
  '=?UTF-8?B?QmNjOiB2aWN0aW1AZXZpbC5leGFtcGxl?=',
  '\ud800 broken surrogate',
  '--boundary\r\n\r\nContent-Type: text/html',
];

const hostile = fc.constantFrom(...HOSTILE);
const text = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.constantFrom('Müller, Hans', 'Weiß & Söhne', '山田 太郎', 'お問い合わせ', "O'Brien \"Bob\"", 'a\\b', ' padded '),
    hostile,
  );
const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,6}[a-z0-9])?$/);
const domain = fc
  .tuple(fc.oneof(label, fc.constantFrom('bücher', '日本', 'MÜLLER', '例え', 'Example')), fc.constantFrom('example', 'de', 'jp', 'COM'))
  .map(([l, tld]) => `${l}.${tld}`);
const local = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,10}(?:\.[A-Za-z0-9_+-]{1,6})?$/);
const address = fc.oneof({ weight: 15, arbitrary: fc.tuple(local, domain).map(([l, d]) => `${l}@${d}`) }, { weight: 1, arbitrary: text(40) });
/** Mostly names a person would type; now and then binary or hostile ones, which must be refused when they break the rule. */
const name = fc.oneof(
  { weight: 8, arbitrary: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constantFrom('Müller, Hans', 'Weiß & Söhne', '山田 太郎', "O'Brien \"Bob\"", 'a\\b')) },
  { weight: 1, arbitrary: text(40) },
);
const named = fc.record({ address, name: fc.option(name, { nil: undefined }) }, { requiredKeys: ['address'] });
const messageId = fc.oneof(
  { weight: 12, arbitrary: fc.tuple(local, domain).map(([l, d]) => `<${l}@${domainToASCII(d)}>`) },
  { weight: 1, arbitrary: fc.oneof(hostile, fc.string({ unit: 'binary', maxLength: 30 })) },
);
const contentType = fc.oneof(fc.constantFrom('application/pdf', 'Image/PNG', 'text/plain', 'multipart/mixed', 'message/rfc822'), text(40));
const attachment = fc.record({ filename: text(60), contentType, which: fc.integer({ min: 0, max: ATTACHMENTS.length - 1 }) });

const recordArb = fc.record({
  from: named,
  to: fc.array(named, { minLength: 1, maxLength: 3 }),
  cc: fc.array(named, { maxLength: 2 }),
  bcc: fc.array(fc.tuple(local, fc.option(text(20), { nil: undefined })), { maxLength: 2 }),
  replyTo: fc.option(named, { nil: undefined }),
  subject: text(200),
  messageId,
  inReplyTo: fc.option(messageId, { nil: undefined }),
  references: fc.array(messageId, { maxLength: 25 }),
  attachments: fc.array(attachment, { maxLength: 2 }),
  purpose: fc.constantFrom('auto-acknowledgement', 'reply', 'notification', 'new'),
});

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'postroom-compose-fuzz-'));
  server = await startS3FileServer({ root, durable: false });
  s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: server.endpoint, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket }));
  await Promise.all(ATTACHMENTS.map((body, i) => s3.send(new PutObjectCommand({ Bucket, Key: `uploads/fuzz-${i}`, Body: body }))));
  composer = new S3OutboundComposer(s3, { bucket: Bucket });
});

afterAll(async () => {
  s3?.destroy();
  await server?.stop();
  if (root) await rm(root, { recursive: true, force: true });
});

/** An address as compared: mailparser shows IDN domains in Unicode, the record holds punycode. */
function comparable(list: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const values = (Array.isArray(list) ? list : list ? [list] : []).flatMap((l) => l.value);
  return values.map((v) => {
    const at = v.address!.lastIndexOf('@');
    return { name: v.name, address: `${v.address!.slice(0, at)}@${domainToASCII(v.address!.slice(at + 1))}` };
  });
}

/** What the parsed message must show for one named address; undefined when the record must be refused. */
function expected(value: MailAddress): MailAddress | undefined {
  const parsed = parseNamedAddress(value);
  return parsed.ok ? { name: parsed.value.name ?? '', address: parsed.value.address } : undefined;
}

describe('composing fuzzed records and parsing them back with mailparser', () => {
  it('refuses a record, or writes exactly the headers and recipients given and never a Bcc', async () => {
    let composed = 0;
    await fc.assert(
      fc.asyncProperty(recordArb, async (f) => {
        // Prepare
        const attachments: OutboundAttachment[] = f.attachments.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          size: ATTACHMENTS[a.which]!.length,
          blob: { bucket: Bucket, key: `uploads/fuzz-${a.which}`, size: ATTACHMENTS[a.which]!.length },
        }));
        const record: OutboxRecord = outboxRecord({
          id: `o-fuzz-${++serial}`,
          purpose: f.purpose,
          from: f.from,
          to: f.to,
          cc: f.cc,
          bcc: f.bcc.map(([l, name]) => ({ address: `${l}@${BCC_DOMAIN}`, ...(name !== undefined && { name }) })),
          hiddenBcc: [`audit@${BCC_DOMAIN}`],
          ...(f.replyTo && { replyTo: f.replyTo }),
          subject: f.subject,
          messageId: f.messageId,
          ...(f.inReplyTo !== undefined && { inReplyTo: f.inReplyTo }),
          references: f.references,
          attachments,
        });
        const from = expected(f.from);
        const to = f.to.map(expected);
        const cc = f.cc.map(expected);
        const replyTo = f.replyTo && expected(f.replyTo);
        const ownId = wireMessageId(f.messageId);

        // Act
        const outcome = await composer.compose(record).then(
          (ref) => ({ ref }),
          (error: unknown) => ({ error }),
        );

        // Assess
        const refusable = !from || to.includes(undefined) || cc.includes(undefined) || replyTo === undefined && f.replyTo !== undefined || !ownId;
        if ('error' in outcome) {
          expect(outcome.error).toBeInstanceOf(PermanentError);
          expect((outcome.error as PermanentError).code).toMatch(/^outbound\.(address|record)-invalid$/);
          expect(refusable).toBe(true);
          return;
        }
        expect(refusable).toBe(false);
        composed += 1;
        const raw = await bytesOf((await s3.send(new GetObjectCommand({ Bucket, Key: outcome.ref.key }))).Body);
        const head = raw.toString('latin1').split('\r\n\r\n')[0]!;
        expect(head.split('\r\n').every((line) => /^[\u0020-\u007e]{0,998}$/.test(line))).toBe(true);
        expect(raw.toString('latin1').toLowerCase()).not.toContain(BCC_DOMAIN);
        const mail = await simpleParser(raw);
        const references = [...new Set(f.references.map(wireMessageId).filter((x) => x !== undefined))].slice(-MAX_OUTGOING_REFERENCES);
        const inReplyTo = wireMessageId(f.inReplyTo);
        expect([...mail.headers.keys()].sort()).toEqual(
          [
            'from',
            'to',
            ...(cc.length ? ['cc'] : []),
            ...(replyTo ? ['reply-to'] : []),
            ...(flattenHeaderText(f.subject) ? ['subject'] : []),
            'date',
            'message-id',
            ...(inReplyTo ? ['in-reply-to'] : []),
            ...(references.length ? ['references'] : []),
            ...(f.purpose === 'auto-acknowledgement' || f.purpose === 'notification' ? ['auto-submitted'] : []),
            'mime-version',
            'content-type',
            // A message of one text part carries that part's encoding at the top.
            ...(f.attachments.length ? [] : ['content-transfer-encoding']),
          ].sort(),
        );
        expect(comparable(mail.from)).toEqual([from]);
        expect(comparable(mail.to)).toEqual(to);
        expect(comparable(mail.cc)).toEqual(cc);
        if (replyTo) expect(comparable(mail.replyTo)).toEqual([replyTo]);
        expect(mail.subject ?? '').toBe(flattenHeaderText(f.subject));
        expect(mail.messageId).toBe(ownId);
        expect(mail.inReplyTo).toBe(inReplyTo);
        if (references.length) expect([mail.references].flat()).toEqual(references);
        // The part's own Content-Type: mailparser's contentType guesses from the file name for octet-stream.
        const partType = (a: (typeof mail.attachments)[number]) => (a.headers.get('content-type') as { value: string }).value;
        expect(mail.attachments.map((a) => [a.filename, partType(a), a.content.toString('hex')])).toEqual(
          f.attachments.map((a) => [attachmentFilename(a.filename), ...writtenAs(a.contentType, ATTACHMENTS[a.which]!)]),
        );
      }),
      { numRuns: 1000 },
    );
    // The property must mostly compose, not only refuse: well-formed values dominate the draws.
    expect(composed).toBeGreaterThan(300);
  });
});
