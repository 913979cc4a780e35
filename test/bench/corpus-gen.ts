/**
 * A deterministic, generated mixed corpus for the MIME benchmarks, built in memory.
 *
 * Hand-written MIME rather than a composer, so that every byte (boundaries, Message-IDs, dates) is a
 * function of the seed and two runs measure exactly the same input. Covers what the routing Lambda
 * sees: plain text, HTML-only, multipart/alternative, small and 1-10 MB attachments, and bodies in
 * ISO-2022-JP and windows-1252.
 */

/** A message of the corpus with the label the benchmark reports it under. */
export interface GeneratedMessage {
  readonly kind: 'plain' | 'html' | 'alternative' | 'small-attachment' | 'iso-2022-jp' | 'windows-1252' | 'large-attachment';
  readonly raw: Buffer;
}

const WORDS = 'order invoice delivery refund account support please thanks customer number status payment address late damaged package tracking reply help issue ticket'.split(' ');
/** "まみむめも" and "テスト" in ISO-2022-JP (JIS X 0208 between ESC $ B and ESC ( B). */
const JIS_PHRASES = [Buffer.from('1b2442245e245f2460246124621b2842', 'hex'), Buffer.from('1b24422546253925481b2842', 'hex')];

/** A small linear congruential generator: deterministic, fast, good enough for filler. */
export class Lcg {
  constructor(private state: number) {}
  next(): number {
    this.state = (Math.imul(this.state, 1664525) + 1013904223) >>> 0;
    return this.state / 2 ** 32;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  bytes(length: number): Buffer {
    const out = Buffer.alloc(length);
    for (let i = 0; i < length; i += 4) out.writeUInt32LE((this.next() * 2 ** 32) >>> 0, Math.min(i, length - 4));
    return out;
  }
}

function words(rng: Lcg, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(WORDS[rng.int(0, WORDS.length - 1)]!);
  return out.join(' ');
}

function paragraphs(rng: Lcg, bytes: number): string {
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const line = words(rng, rng.int(6, 12));
    lines.push(line);
    size += line.length + 2;
  }
  return lines.join('\r\n');
}

function base64Lines(bytes: Buffer): string {
  const b64 = bytes.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 76) lines.push(b64.slice(i, i + 76));
  return lines.join('\r\n');
}

function head(n: number, subject: string, contentType: string, extra: string[] = []): string {
  return [
    `From: Customer ${n} <customer${n}@example.com>`,
    'To: support@example.org',
    `Subject: ${subject}`,
    `Date: Mon, 2 Jun 2025 10:${String(n % 60).padStart(2, '0')}:00 +0000`,
    `Message-ID: <gen-${n}@example.com>`,
    'MIME-Version: 1.0',
    ...extra,
    `Content-Type: ${contentType}`,
  ].join('\r\n');
}

function html(rng: Lcg, bytes: number): string {
  const rows: string[] = ['<html><head><style>p{margin:0}</style></head><body><table>'];
  let size = 0;
  while (size < bytes) {
    const row = `<tr><td><p style="color:#333">${words(rng, 8)}</p></td><td><a href="https://example.com/${rng.int(1, 9999)}">${words(rng, 2)}</a></td></tr>`;
    rows.push(row);
    size += row.length;
  }
  rows.push('</table></body></html>');
  return rows.join('\r\n');
}

function build(kind: GeneratedMessage['kind'], n: number, rng: Lcg, attachmentBytes = 0): GeneratedMessage {
  const text = () => paragraphs(rng, rng.int(500, 5_000));
  switch (kind) {
    case 'plain':
      return { kind, raw: Buffer.from(`${head(n, `Order ${n}`, 'text/plain; charset=utf-8')}\r\n\r\n${text()}\r\n`) };
    case 'html':
      return { kind, raw: Buffer.from(`${head(n, `Newsletter ${n}`, 'text/html; charset=utf-8')}\r\n\r\n${html(rng, rng.int(5_000, 30_000))}\r\n`) };
    case 'alternative':
      return {
        kind,
        raw: Buffer.from(
          `${head(n, `Re: ticket ${n}`, 'multipart/alternative; boundary="alt"')}\r\n\r\n--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text()}\r\n--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html(rng, rng.int(3_000, 15_000))}\r\n--alt--\r\n`,
        ),
      };
    case 'small-attachment':
    case 'large-attachment': {
      const size = attachmentBytes || rng.int(20_000, 200_000);
      return {
        kind,
        raw: Buffer.from(
          `${head(n, `Documents ${n}`, 'multipart/mixed; boundary="mix"')}\r\n\r\n--mix\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text()}\r\n--mix\r\nContent-Type: application/pdf; name="scan-${n}.pdf"\r\nContent-Disposition: attachment; filename="scan-${n}.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(rng.bytes(size))}\r\n--mix--\r\n`,
        ),
      };
    }
    case 'iso-2022-jp': {
      const body: Buffer[] = [];
      for (let i = rng.int(20, 200); i > 0; i--) body.push(JIS_PHRASES[i % 2]!, Buffer.from(i % 8 === 0 ? '\r\n' : ' '));
      const header = head(n, '=?ISO-2022-JP?B?GyRCJF4kXyRgJGEkYhsoQg==?=', 'text/plain; charset=ISO-2022-JP', []) + '\r\nContent-Transfer-Encoding: 7bit\r\n\r\n';
      return { kind, raw: Buffer.concat([Buffer.from(header), ...body, Buffer.from('\r\n')]) };
    }
    case 'windows-1252': {
      // Quoted-printable windows-1252: é = E9, € = 80, soft line breaks every ~70 characters.
      const line = `Pr=E9sentation du devis, montant 120 =80, r=E9f=E9rence ${n}. ${words(rng, 4)}=\r\n`;
      return {
        kind,
        raw: Buffer.from(
          `${head(n, `=?windows-1252?Q?Devis_=80_${n}?=`, 'text/plain; charset=windows-1252')}\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${line.repeat(rng.int(10, 60))}\r\n`,
        ),
      };
    }
  }
}

const SMALL_KINDS: GeneratedMessage['kind'][] = ['plain', 'html', 'alternative', 'small-attachment', 'iso-2022-jp', 'windows-1252'];

/**
 * The small-message mix: `count` messages cycling through every small kind, sizes drawn from a
 * seeded generator (plain text 0.5-5 KB, HTML 5-30 KB, attachments 20-200 KB).
 */
export function smallMessageMix(count = 300, seed = 7): GeneratedMessage[] {
  const rng = new Lcg(seed);
  return Array.from({ length: count }, (_, n) => build(SMALL_KINDS[n % SMALL_KINDS.length]!, n, rng));
}

/** Messages carrying one attachment each of the given decoded sizes (default 1, 2, 4, 7 and 10 MB). */
export function largeAttachmentMessages(sizesMb: readonly number[] = [1, 2, 4, 7, 10], seed = 11): GeneratedMessage[] {
  const rng = new Lcg(seed);
  return sizesMb.map((mb, n) => build('large-attachment', 1_000 + n, rng, mb * 1024 * 1024));
}

/**
 * One message of about `totalBytes` raw bytes (SES's 40 MB maximum is the reason for the 38 MB
 * default), nearly all of it one base64 attachment: the worst case for the parser's memory.
 */
export function maxSizeMessage(totalBytes = 38 * 1024 * 1024, seed = 13): GeneratedMessage {
  const decoded = Math.floor(((totalBytes - 8_000) * 3) / 4 / (78 / 76));
  return build('large-attachment', 9_999, new Lcg(seed), decoded);
}
