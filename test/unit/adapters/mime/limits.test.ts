import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseMimeStream } from '../../../../lambdas/adapters/mime/parse-mime-stream.ts';
import { QuarantineError } from '../../../../lambdas/core/errors.ts';
import { MAIL_LIMITS } from '../../../../lambdas/core/limits.ts';
import { crlf, hugeHeaderMessage, manyPartsMessage, nestedMessage, outcomeOf, parseRaw, plainMessage } from './mail-fixtures.ts';
import { MemoryPartSink } from '../../../support/part-sinks.ts';

function reasonOf(error: unknown): string | undefined {
  return error instanceof QuarantineError ? error.reason : `not quarantined: ${String(error)}`;
}

describe('MIME limits', () => {
  it('quarantines a message nested 30 levels deep as too-deep and stores nothing after the violation', async () => {
    // Prepare: a 1 MB attachment after the deep leaf would be stored if parsing went on
    const raw = nestedMessage(30, crlf('', '--b29', 'Content-Type: application/pdf', 'Content-Transfer-Encoding: base64', '', Buffer.alloc(1_000_000, 7).toString('base64')));
    const sink = new MemoryPartSink();

    // Act
    const { error } = await outcomeOf(parseMimeStream(Readable.from([Buffer.from(raw)]), sink));

    // Assess
    expect(reasonOf(error)).toBe('too-deep');
    expect(sink.objects.size).toBe(0);
  });

  it('parses a message nested exactly to the limit and reports its depth', async () => {
    // Prepare
    const raw = nestedMessage(MAIL_LIMITS.maxMimeDepth);

    // Act
    const { mail } = await parseRaw(raw);

    // Assess
    expect(mail.stats.depth).toBe(MAIL_LIMITS.maxMimeDepth);
    expect(mail.text).toContain('deep');
  });

  it('quarantines a message with 2,000 parts as too-many-parts before storing them all', async () => {
    // Prepare
    const sink = new MemoryPartSink();

    // Act
    const { error } = await outcomeOf(parseMimeStream(Readable.from([Buffer.from(manyPartsMessage(2_000))]), sink));

    // Assess
    expect(reasonOf(error)).toBe('too-many-parts');
    expect(sink.objects.size).toBeLessThanOrEqual(MAIL_LIMITS.maxParts);
  });

  it('keeps the decoded root headers on a too-many-parts or too-deep quarantine, none on a header-too-large one', async () => {
    // Prepare: the root header block is intact, the parts behind it are over the limit
    const head = [
      'From: =?UTF-8?Q?J=C3=B6rg?= <joerg@example.de>',
      'To: support@example.org',
      'Subject: =?UTF-8?Q?Rechnung_f=C3=BCr_M=C3=A4rz?=',
      'Date: Tue, 1 Jul 2003 10:52:37 +0200',
      'Message-ID: <many@example.de>',
    ];
    const many = crlf(...head, manyPartsMessage(2_000).split('\r\n').slice(2).join('\r\n'));

    // Act
    const tooMany = await outcomeOf(parseRaw(many));
    const tooDeep = await outcomeOf(parseRaw(nestedMessage(30)));
    const tooLarge = await outcomeOf(parseRaw(hugeHeaderMessage(MAIL_LIMITS.maxHeaderBytes + 10_000)));

    // Assess
    expect(reasonOf(tooMany.error)).toBe('too-many-parts');
    expect((tooMany.error as QuarantineError).headers).toEqual({
      subject: 'Rechnung für März',
      from: { address: 'joerg@example.de', name: 'Jörg' },
      to: [{ address: 'support@example.org' }],
      cc: [],
      replyTo: [],
      references: [],
      date: '2003-07-01T08:52:37.000Z',
      messageId: '<many@example.de>',
    });
    expect(reasonOf(tooDeep.error)).toBe('too-deep');
    expect((tooDeep.error as QuarantineError).headers).toMatchObject({ subject: 'nested', from: { address: 'a@example.com' } });
    expect(reasonOf(tooLarge.error)).toBe('header-too-large');
    expect((tooLarge.error as QuarantineError).headers).toBeUndefined();
  });

  it('parses a message just under the part limit', async () => {
    // Prepare: root + 10 attachments = 11 parts against a limit of 11
    const limits = { ...MAIL_LIMITS, maxParts: 11 };

    // Act
    const { mail, sink } = await parseRaw(manyPartsMessage(10), limits);

    // Assess
    expect(mail.stats.parts).toBe(11);
    expect(mail.attachments).toHaveLength(10);
    expect(sink.objects.size).toBe(10);
  });

  it('quarantines a 300 KB root header block as header-too-large', async () => {
    // Prepare
    const raw = hugeHeaderMessage(300 * 1024);

    // Act
    const { error } = await outcomeOf(parseRaw(raw));

    // Assess
    expect(reasonOf(error)).toBe('header-too-large');
  });

  it('quarantines a single 300 KB header line without a line break', async () => {
    // Prepare
    const raw = `Subject: ${'y'.repeat(300 * 1024)}`;

    // Act
    const { error } = await outcomeOf(parseRaw(raw));

    // Assess
    expect(reasonOf(error)).toBe('header-too-large');
  });

  it('quarantines an oversized header block of a nested part, not only of the root', async () => {
    // Prepare
    const filler = Array.from({ length: 400 }, (_, i) => `X-Part-Filler-${i}: ${'z'.repeat(60)}`);
    const raw = crlf('From: a@example.com', 'Content-Type: multipart/mixed; boundary="q"', '', '--q', ...filler, 'Content-Type: text/plain', '', 'hi', '--q--', '');

    // Act
    const { error } = await outcomeOf(parseRaw(raw, { ...MAIL_LIMITS, maxHeaderBytes: 16 * 1024 }));

    // Assess
    expect(reasonOf(error)).toBe('header-too-large');
  });

  it('counts the header budget per message: parts whose header blocks are each under it but together over it are header-too-large', async () => {
    // Prepare: 40 parts with 8 KB header blocks each, 320 KB in all, each block far under 256 KB
    const filler = Array.from({ length: 100 }, (_, i) => `X-Filler-${i}: ${'z'.repeat(64)}`);
    const parts = Array.from({ length: 40 }, (_, i) => ['--q', ...filler, 'Content-Type: text/plain', '', `part ${i}`]).flat();
    const raw = crlf('From: a@example.com', 'Content-Type: multipart/mixed; boundary="q"', '', ...parts, '--q--', '');
    const halfAsMany = crlf('From: a@example.com', 'Content-Type: multipart/mixed; boundary="q"', '', ...parts.slice(0, parts.length / 2), '--q--', '');

    // Act
    const { error } = await outcomeOf(parseRaw(raw));
    const { mail } = await parseRaw(halfAsMany);

    // Assess: the whole message is over, half of it (160 KB of headers) is not
    expect(reasonOf(error)).toBe('header-too-large');
    expect(mail.stats.parts).toBe(21);
  });

  it('quarantines a stream longer than maxMessageBytes as too-large while reading it', async () => {
    // Prepare: the stream would go on for 1,000 chunks; the limit is 10 KB
    let produced = 0;
    const source = new Readable({
      read() {
        produced += 1;
        this.push(produced === 1 ? Buffer.from(plainMessage(['Subject: big'], '')) : Buffer.alloc(1024, 0x61));
        if (produced === 1_000) this.push(null);
      },
    });

    // Act
    const { error } = await outcomeOf(parseMimeStream(source, new MemoryPartSink(), { ...MAIL_LIMITS, maxMessageBytes: 10 * 1024 }));

    // Assess
    expect(reasonOf(error)).toBe('too-large');
    expect(produced).toBeLessThan(1_000);
    expect(source.destroyed).toBe(true);
  });

  it('quarantines an empty message as unparseable', async () => {
    // Act
    const { error } = await outcomeOf(parseRaw(''));

    // Assess
    expect(reasonOf(error)).toBe('unparseable');
  });
});
