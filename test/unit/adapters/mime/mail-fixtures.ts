/**
 * Generated raw messages for the MIME adapter's tests: ordinary mail and the hostile shapes the
 * limits exist for (deep nesting, part floods, huge header blocks). Built in code so every test
 * shows the exact bytes it feeds the parser.
 */
import { Readable } from 'node:stream';
import { parseMimeStream } from '../../../../lambdas/adapters/mime/parse-mime-stream.ts';
import { MAIL_LIMITS, type MailLimits } from '../../../../lambdas/core/limits.ts';
import type { ParsedMail } from '../../../../lambdas/core/message.ts';
import { MemoryPartSink } from '../../../support/part-sinks.ts';

const CRLF = '\r\n';

/** Joins lines with CRLF, as mail on the wire has them. */
export function crlf(...lines: string[]): string {
  return lines.join(CRLF);
}

/** A minimal single-part message with the given extra header lines. */
export function plainMessage(headerLines: string[], body = 'Hello.'): string {
  return crlf('From: Customer <customer@example.com>', 'To: support@example.org', ...headerLines, '', body, '');
}

/** A message whose multipart/mixed containers nest `depth` levels (the leaf text part included). */
export function nestedMessage(depth: number, tail = ''): string {
  const open: string[] = [];
  const close: string[] = [];
  for (let level = 1; level < depth; level++) {
    const boundary = `b${level}`;
    const header = level === 1 ? ['From: a@example.com', 'Subject: nested'] : [];
    open.push(...header, `Content-Type: multipart/mixed; boundary="${boundary}"`, '', `--${boundary}`);
    close.unshift(`--${boundary}--`);
  }
  return crlf(...open, 'Content-Type: text/plain', '', 'deep', tail, ...close, '');
}

/** A multipart/mixed message with `count` small base64 attachments. */
export function manyPartsMessage(count: number): string {
  const lines = ['From: a@example.com', 'Subject: parts', 'Content-Type: multipart/mixed; boundary="p"', ''];
  for (let i = 0; i < count; i++) {
    lines.push('--p', 'Content-Type: application/octet-stream', `Content-Disposition: attachment; filename="f${i}.bin"`,
      'Content-Transfer-Encoding: base64', '', Buffer.from(`part ${i}`).toString('base64'));
  }
  lines.push('--p--', '');
  return crlf(...lines);
}

/** A message whose root header block is about `bytes` long (many ordinary 78-character lines). */
export function hugeHeaderMessage(bytes: number): string {
  const line = `X-Filler: ${'x'.repeat(66)}`;
  const count = Math.ceil(bytes / (line.length + 2));
  return plainMessage(Array.from({ length: count }, () => line));
}

/** Parses a raw message held in memory with the real parser and an in-memory sink. */
export async function parseRaw(
  raw: string | Buffer,
  limits: MailLimits = MAIL_LIMITS,
): Promise<{ mail: ParsedMail; sink: MemoryPartSink }> {
  const sink = new MemoryPartSink('parts/t/');
  const mail = await parseMimeStream(Readable.from([Buffer.from(raw)]), sink, limits);
  return { mail, sink };
}

/** Settles a promise into a value or the error it rejected with, for Assess steps on errors. */
export async function outcomeOf<T>(promise: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await promise };
  } catch (error) {
    return { error };
  }
}
