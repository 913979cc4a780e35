import { describe, expect, it } from 'vitest';
import { MAX_HEADER_VALUE_CHARS, MAX_REFERENCES } from '../../../../lambdas/adapters/mime/mail-headers.ts';
import { crlf, parseRaw } from './mail-fixtures.ts';

/** Parses a header block (with a one-line body) through the real parser. */
async function headersOf(...lines: string[]) {
  const { mail } = await parseRaw(crlf(...lines, '', 'body', ''));
  return mail;
}

describe('header extraction', () => {
  it('decodes RFC 2047 subjects in Q and B encodings and across charsets', async () => {
    // Act
    const q = await headersOf('Subject: =?UTF-8?Q?Caf=C3=A9_order?=');
    const b = await headersOf('Subject: =?ISO-2022-JP?B?GyRCJF4kXyRgJGEkYhsoQg==?=');
    const latin = await headersOf('Subject: =?windows-1252?Q?Pr=E9sentation_=80?=');

    // Assess
    expect(q.subject).toBe('Café order');
    expect(b.subject).toBe('まみむめも');
    expect(latin.subject).toBe('Présentation €');
  });

  it('parses address lists, flattening groups and keeping display names', async () => {
    // Act
    const mail = await headersOf(
      'From: "Doe, Jane" <jane@example.com>',
      'To: team: a@example.com, "B" <b@example.com>;, c@example.com',
      'Cc: =?UTF-8?Q?J=C3=B6rg?= <jorg@example.de>',
      'Reply-To: replies@example.com',
    );

    // Assess
    expect(mail.from).toEqual({ address: 'jane@example.com', name: 'Doe, Jane' });
    expect(mail.to.map((a) => a.address)).toEqual(['a@example.com', 'b@example.com', 'c@example.com']);
    expect(mail.cc).toEqual([{ address: 'jorg@example.de', name: 'Jörg' }]);
    expect(mail.replyTo).toEqual([{ address: 'replies@example.com' }]);
  });

  it('tolerates broken address headers without throwing', async () => {
    // Act
    const mail = await headersOf('From: <<<@@>>>, ;;; "unterminated', 'To: undisclosed-recipients:;', 'Cc: ,,,');

    // Assess
    expect(mail.to).toEqual([]);
    expect(mail.cc).toEqual([]);
    expect(mail.subject).toBe('');
  });

  it('gives an ISO date for a valid Date header and none for junk', async () => {
    // Act
    const valid = await headersOf('Date: Tue, 1 Jul 2003 10:52:37 +0200');
    const junk = await headersOf('Date: sometime last week');

    // Assess
    expect(valid.date).toBe('2003-07-01T08:52:37.000Z');
    expect(junk.date).toBeUndefined();
  });

  it('normalizes Message-ID, In-Reply-To and References to bracketed ids, ignoring comments', async () => {
    // Act
    const mail = await headersOf(
      'Message-ID: abc@example.com',
      'In-Reply-To: <parent@example.com> (comment)',
      'References: <root@example.com> junk <parent@example.com>',
    );

    // Assess
    expect(mail.messageId).toBe('<abc@example.com>');
    expect(mail.inReplyTo).toBe('<parent@example.com>');
    expect(mail.references).toEqual(['<root@example.com>', '<junk>', '<parent@example.com>']);
  });

  it('keeps the root and the newest ids when References is very long', async () => {
    // Prepare
    const ids = Array.from({ length: 200 }, (_, i) => `<m${i}@example.com>`);

    // Act
    const mail = await headersOf(`References: ${ids.join('\r\n ')}`);

    // Assess
    expect(mail.references).toHaveLength(MAX_REFERENCES);
    expect(mail.references[0]).toBe('<m0@example.com>');
    expect(mail.references.at(-1)).toBe('<m199@example.com>');
  });

  it('selects routing and loop headers as raw strings, the topmost occurrence winning', async () => {
    // Act
    const mail = await headersOf(
      'Authentication-Results: mx.example.org; spf=pass',
      'Authentication-Results: forged.example; spf=pass dkim=pass',
      'Auto-Submitted: auto-replied',
      'Precedence: bulk',
      'List-Id: Support list <support.lists.example.com>',
      'List-Unsubscribe: <mailto:leave@example.com>',
      'X-Priority: 1 (Highest)',
      'Importance: high',
      'Return-Path: <bounce@example.com>',
      'X-SES-Spam-Verdict: PASS',
      'Content-Type: text/plain; charset=utf-8',
      'X-Unrelated: not kept',
    );

    // Assess
    expect(mail.headers).toMatchObject({
      'authentication-results': 'mx.example.org; spf=pass',
      'auto-submitted': 'auto-replied',
      precedence: 'bulk',
      'list-id': 'Support list <support.lists.example.com>',
      'list-unsubscribe': '<mailto:leave@example.com>',
      'x-priority': '1 (Highest)',
      importance: 'high',
      'return-path': '<bounce@example.com>',
      'x-ses-spam-verdict': 'PASS',
      'content-type': 'text/plain; charset=utf-8',
    });
    expect(mail.headers['x-unrelated']).toBeUndefined();
  });

  it('unfolds folded values and cuts very long ones', async () => {
    // Act
    const mail = await headersOf('X-Spam-Status: No, score=-1.0\r\n\trequired=5.0', `X-Mailer: ${'m'.repeat(10_000)}`);

    // Assess
    expect(mail.headers['x-spam-status']).toBe('No, score=-1.0 required=5.0');
    expect(mail.headers['x-mailer']).toHaveLength(MAX_HEADER_VALUE_CHARS);
  });
});
