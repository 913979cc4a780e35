/**
 * Generated inbound mail: one message for each shape the inbound rules deal with, built in code so a
 * plain clone (no ../shared/corpus) still runs every rule, and each test shows the bytes it feeds.
 *
 * Hand-written MIME rather than a composer (as test/bench/corpus-gen.ts, whose mix is reused here):
 * broken and hostile shapes are exactly what a composer refuses to write.
 */
import { readFileSync } from 'node:fs';
import { smallMessageMix, type GeneratedMessage } from '../bench/corpus-gen.ts';

const CRLF = '\r\n';

/** One MIME entity: header lines and a body (already transfer-encoded as it should appear). */
export interface Entity {
  readonly headers: readonly string[];
  readonly body: string | Buffer;
}

/** The bytes of an entity: headers, a blank line, the body. */
export function entityBytes(e: Entity): Buffer {
  // UTF-8 header text is raw 8-bit (RFC 6532), as modern mailers send it; ASCII is unchanged
  return Buffer.concat([Buffer.from(e.headers.join(CRLF) + CRLF + CRLF, 'utf8'), Buffer.isBuffer(e.body) ? e.body : Buffer.from(e.body, 'utf8')]);
}

/** A multipart entity of `subtype` over `parts`; `closed: false` leaves out the closing delimiter (broken mail). */
export function multipart(subtype: string, parts: readonly Entity[], options: { boundary?: string; extra?: string; closed?: boolean } = {}): Entity {
  const boundary = options.boundary ?? `b-${subtype}-${parts.length}`;
  const chunks: Buffer[] = [];
  for (const p of parts) chunks.push(Buffer.from(`--${boundary}${CRLF}`), entityBytes(p), Buffer.from(CRLF));
  if (options.closed !== false) chunks.push(Buffer.from(`--${boundary}--${CRLF}`));
  return { headers: [`Content-Type: multipart/${subtype}; boundary="${boundary}"${options.extra ?? ''}`], body: Buffer.concat(chunks) };
}

/** A text part in UTF-8 (or `charset`, with `body` already in it), 8bit unless said otherwise. */
export function textPart(subtype: 'plain' | 'html' | 'calendar', body: string | Buffer, charset = 'utf-8', extra: readonly string[] = []): Entity {
  return { headers: [`Content-Type: text/${subtype}; charset=${charset}`, ...extra], body };
}

/** A base64 attachment (or inline part, with a Content-ID) of `bytes`. */
export function filePart(contentType: string, filename: string, bytes: Buffer, options: { inlineId?: string; rawFilenameParam?: string } = {}): Entity {
  const name = options.rawFilenameParam ?? `filename="${filename}"`;
  return {
    headers: [
      `Content-Type: ${contentType}`,
      `Content-Disposition: ${options.inlineId ? 'inline' : 'attachment'}; ${name}`,
      'Content-Transfer-Encoding: base64',
      ...(options.inlineId ? [`Content-ID: <${options.inlineId}>`] : []),
    ],
    body: (bytes.toString('base64').match(/.{1,76}/g) ?? []).join(CRLF) + CRLF,
  };
}

/** Root header facts; everything but `subject` has a harmless default. */
export interface Envelope {
  readonly subject: string;
  readonly from?: string;
  readonly to?: string;
  readonly messageId?: string;
  readonly headers?: readonly string[];
}

/** A whole message: the envelope's headers, MIME-Version, then `content`'s own headers and body. */
export function message(envelope: Envelope, content: Entity): Buffer {
  const headers = [
    `From: ${envelope.from ?? 'Ada Customer <ada@customer.example>'}`,
    `To: ${envelope.to ?? 'help@support.example.test'}`,
    `Subject: ${envelope.subject}`,
    'Date: Tue, 3 Jun 2025 09:00:00 +0000',
    ...(envelope.messageId === '' ? [] : [`Message-ID: ${envelope.messageId ?? `<${envelope.subject.replace(/[^a-z0-9]+/gi, '.')}@customer.example>`}`]),
    'MIME-Version: 1.0',
    ...(envelope.headers ?? []),
    ...content.headers,
  ];
  return entityBytes({ headers, body: content.body });
}

/** A one-part plain-text message. */
export function plainMessage(envelope: Envelope, text: string): Buffer {
  return message(envelope, textPart('plain', `${text}${CRLF}`));
}

/** A DSN as a mailer daemon sends it (RFC 3464): multipart/report with a message/delivery-status part. */
export function bounceMessage(original: string): Buffer {
  const status = ['Reporting-MTA: dns; mx.customer.example', '', `Final-Recipient: rfc822; ${original}`, 'Action: failed', 'Status: 5.1.1', ''].join(CRLF);
  const report = multipart('report', [textPart('plain', `Delivery to ${original} failed.${CRLF}`), { headers: ['Content-Type: message/delivery-status'], body: status }], {
    extra: '; report-type=delivery-status',
  });
  return message({ subject: 'Undelivered Mail Returned to Sender', from: 'Mail Delivery System <MAILER-DAEMON@customer.example>', headers: ['Auto-Submitted: auto-replied'] }, report);
}

/** An abuse report (RFC 5965): multipart/report with a message/feedback-report part. */
export function feedbackReportMessage(): Buffer {
  const feedback = ['Feedback-Type: abuse', 'User-Agent: generated/1.0', 'Version: 1', ''].join(CRLF);
  const report = multipart('report', [textPart('plain', `This is an abuse report.${CRLF}`), { headers: ['Content-Type: message/feedback-report'], body: feedback }], {
    extra: '; report-type=feedback-report',
  });
  return message({ subject: 'Abuse report', from: 'abuse@isp.example' }, report);
}

/** An HTML document nested `depth` elements deep: the call-stack bait a recursive sanitizer dies on. */
export function deepHtml(depth: number): string {
  return `<html><body>${'<div>'.repeat(depth)}deep${'</div>'.repeat(depth)}</body></html>`;
}

/** The messages of test/fixtures/decoding (charset repair: raw 8-bit headers, UTF-7, NUL bytes), by file name. */
export function decodingFixtures(): { name: string; raw: Buffer }[] {
  const names = ['encoded-word-raw-8bit.eml', 'nul-in-text.eml', 'raw-8bit-headers.eml', 'raw-utf8-headers.eml', 'utf7-html-body.eml', 'utf7-subject-and-body.eml'];
  return names.map((name) => ({ name, raw: readFileSync(new URL(`../fixtures/decoding/${name}`, import.meta.url)) }));
}

/** One message of each kind of the benchmarks' generated mix (plain, HTML-only, alternative, attachment, ISO-2022-JP, windows-1252). */
export function benchmarkKinds(): GeneratedMessage[] {
  return smallMessageMix(6, 7);
}
