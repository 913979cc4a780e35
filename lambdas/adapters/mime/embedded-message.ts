/**
 * A message attached whole (a forward's original, `message/rfc822`). RFC 2046 5.2.1 allows no
 * encoding other than 7bit, 8bit or binary for its body, so it cannot be base64 like every other
 * part we write (outbound-mime.ts): its bytes go as they are, line breaks made CRLF. Two things
 * base64 gave for free are therefore checked on a first read of the message: which of those three
 * labels is true of its bytes (RFC 2045 2.7-2.9), and that no line of it is the delimiter of the
 * multipart around it (RFC 2046 5.1.1: the boundary must not occur in an enclosed part), choosing
 * among a few boundaries the first that does not occur.
 */
import type { Readable } from 'node:stream';

/** Limits of what an embedded message may hold and still go as 7bit or 8bit. */
export const EMBEDDED_MESSAGE_LIMITS = {
  /** RFC 5322 2.1.1 and RFC 2045 2.8: at most 998 octets a line before the CRLF; longer is `binary`. */
  maxLineOctets: 998,
  /** Boundaries tried around embedded messages before giving up: only a message made to clash holds them all. */
  maxBoundaryCandidates: 4,
} as const;

/** The Content-Transfer-Encoding an embedded message's bytes are true to (RFC 2045 6.1). */
export type EmbeddedEncoding = '7bit' | '8bit' | 'binary';

/** What one read of an embedded message found. */
export interface EmbeddedMessageScan {
  readonly encoding: EmbeddedEncoding;
  /** The `candidates` (boundaries) that stand at the start of one of its lines after `--`. */
  readonly clashes: ReadonlySet<string>;
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * Reads `input` once (it is consumed) and says which encoding label is true of it once bare LFs
 * are CRLF (as {@link embeddedMessageBody} writes it), and which `candidates` clash: `7bit` when
 * it is ASCII without NUL, `8bit` when it has other octets, `binary` with a NUL, a bare CR or a
 * line over {@link EMBEDDED_MESSAGE_LIMITS.maxLineOctets} octets.
 */
export async function scanEmbeddedMessage(input: Readable, candidates: readonly string[]): Promise<EmbeddedMessageScan> {
  const delimiters = candidates.map((c) => ({ boundary: c, line: Buffer.from(`--${c}`, 'latin1') }));
  const keep = Math.max(0, ...delimiters.map((d) => d.line.length));
  const clashes = new Set<string>();
  let eightBit = false;
  let binary = false;
  let lineLength = 0;
  let lineStart: number[] = [];
  let afterCr = false;
  const endLine = () => {
    for (const d of delimiters) if (lineStart.length >= d.line.length && d.line.every((b, i) => lineStart[i] === b)) clashes.add(d.boundary);
    lineStart = [];
    lineLength = 0;
  };
  for await (const chunk of input as AsyncIterable<Buffer>) {
    for (const byte of chunk) {
      if (afterCr && byte !== LF) binary = true; // a bare CR: no 7bit or 8bit line holds one
      afterCr = byte === CR;
      if (byte === LF) {
        endLine();
        continue;
      }
      if (byte === CR) continue;
      if (byte === 0) binary = true;
      else if (byte >= 0x80) eightBit = true;
      if (++lineLength > EMBEDDED_MESSAGE_LIMITS.maxLineOctets) binary = true;
      if (lineStart.length < keep) lineStart.push(byte);
    }
  }
  if (afterCr) binary = true;
  endLine();
  return { encoding: binary ? 'binary' : eightBit ? '8bit' : '7bit', clashes };
}

/**
 * The header lines of an embedded message part: `message/rfc822`, attached under `filename`
 * (a parameter as written by outbound-mime.ts), and its true encoding label.
 */
export function embeddedMessageHeaders(filenameParameter: string, encoding: EmbeddedEncoding): string[] {
  return ['Content-Type: message/rfc822', `Content-Disposition: attachment;${filenameParameter}`, `Content-Transfer-Encoding: ${encoding}`];
}

/**
 * The message's bytes with bare LFs as CRLF (`crlf`, the transform outbound-mime.ts uses for text),
 * then a CRLF so the delimiter after it starts a line: RFC 2046 5.1.1 counts that CRLF to the
 * delimiter, so a parser reads back the message's own last line break too. `input` is destroyed
 * when the consumer stops early.
 */
export async function* embeddedMessageBody(input: Readable, crlf: NodeJS.ReadWriteStream & Readable): AsyncGenerator<Buffer> {
  input.on('error', (err) => crlf.destroy(err));
  input.pipe(crlf);
  try {
    for await (const chunk of crlf as AsyncIterable<Buffer>) yield chunk;
  } finally {
    // Must happen when the consumer stops early (size limit, upload failure): the S3 response's socket is freed.
    input.destroy();
    crlf.destroy();
  }
  yield Buffer.from('\r\n', 'latin1');
}
