/**
 * The MIME structure of an outgoing message (RFC 2045, 2046, 2183, 2231), written as a stream of
 * bytes so that a 40 MB message never sits in memory: the text and HTML bodies (inline or from S3)
 * and the attachments (from S3), each base64-encoded while it is read.
 *
 * Why base64 for every part, text included (all but an attached message: embedded-message.ts): its output is 76-character lines with CRLF whatever the
 * input holds, so a body with bare LFs, NULs or a line that starts with `--boundary` cannot end a
 * part, smuggle an SMTP end-of-data or add a header. Boundaries hold `=_`, which base64 never writes.
 */
import { Readable, Transform, type TransformCallback, type Writable } from 'node:stream';
import { Encoder } from 'nodemailer/lib/base64';
import { flattenHeaderText } from '../../core/outbound/header-text.ts';
import { ERROR_REASONS as R } from '../../core/error-reasons.ts';
import { PermanentError } from '../../core/errors.ts';
import type { BlobRef } from '../../core/message.ts';
import { EMBEDDED_MESSAGE_LIMITS, embeddedMessageBody, embeddedMessageHeaders, scanEmbeddedMessage, type EmbeddedEncoding } from './embedded-message.ts';

/** Limits of the parts we write. */
export const OUTBOUND_PART_LIMITS = {
  /** Attachment file names are cut to this many characters: file systems keep 255. */
  maxFilenameChars: 255,
  /** RFC 2231 continuation segments of at most this many characters keep the parameter lines short. */
  maxParameterSegmentChars: 60,
  /** RFC 2045 6.8: base64 lines of at most 76 characters. */
  base64LineChars: 76,
} as const;

/** Where a part's bytes come from: a string held by the record, or an object in S3. */
export type PartSource = { readonly kind: 'inline'; readonly text: string } | { readonly kind: 'blob'; readonly blob: BlobRef };

/** A part with content: its own headers (Content-Type, Content-Disposition) and its bytes. */
export interface LeafPart {
  readonly kind: 'leaf';
  readonly headers: readonly string[];
  readonly source: PartSource;
  /** Text: bare LFs become CRLF before encoding (RFC 2046 4.1.1 canonical form). @default false */
  readonly text?: boolean;
}

/**
 * A message attached whole (a forward's original): written as `message/rfc822` with its own bytes,
 * never base64 (embedded-message.ts). Only ever a child of a multipart, which checks its boundary
 * against it.
 */
export interface EmbeddedPart {
  readonly kind: 'message';
  readonly filename: string;
  readonly source: PartSource;
}

/** multipart/mixed or multipart/alternative around its parts. */
export interface MultiPart {
  readonly kind: 'multipart';
  readonly subtype: 'mixed' | 'alternative';
  readonly boundary: string;
  readonly parts: readonly MimePart[];
}

export type MimePart = LeafPart | MultiPart | EmbeddedPart;

/** Opens the bytes of an object (the composer reads S3 with it). */
export type OpenBlob = (blob: BlobRef) => Promise<Readable>;

/** RFC 2045 5.1 type/subtype tokens; `multipart/*` and `message/*` are structure, never an attachment's type. */
const CONTENT_TYPE = /^(?!multipart\/|message\/)[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
/** A file name that may stand in a quoted parameter as it is. */
const PLAIN_FILENAME = /^[\u0020-\u007e]{1,60}$/;

/**
 * An attachment's content type as we write it: lower-case `type/subtype` when it is one, else
 * `application/octet-stream` (a hostile or unknown value never reaches the header).
 */
export function attachmentContentType(raw: string): string {
  const value = raw.trim().toLowerCase();
  return CONTENT_TYPE.test(value) ? value : 'application/octet-stream';
}

/**
 * An attachment's file name as we write it: flattened to one line (header-text.ts), cut to
 * {@link OUTBOUND_PART_LIMITS.maxFilenameChars} characters, `attachment` when nothing is left.
 */
export function attachmentFilename(raw: string): string {
  const flat = [...flattenHeaderText(raw)].slice(0, OUTBOUND_PART_LIMITS.maxFilenameChars).join('').trim();
  return flat === '' ? 'attachment' : flat;
}

/**
 * The header lines of an attachment part. The name goes as a quoted string when it is short
 * printable ASCII, else as RFC 2231 UTF-8 continuations (`filename*0*=utf-8''...`), in both the
 * Content-Type `name` (older clients) and the Content-Disposition `filename` (RFC 2183).
 */
export function attachmentHeaders(filename: string, contentType: string): string[] {
  const name = attachmentFilename(filename);
  return [
    `Content-Type: ${attachmentContentType(contentType)};${parameter('name', name)}`,
    `Content-Disposition: attachment;${parameter('filename', name)}`,
    'Content-Transfer-Encoding: base64',
  ];
}

/** The header lines of a text body part (`text/plain` or `text/html`), UTF-8, base64. */
export function textPartHeaders(subtype: 'plain' | 'html'): string[] {
  return [`Content-Type: text/${subtype}; charset=utf-8`, 'Content-Transfer-Encoding: base64'];
}

/**
 * The bytes of `part`: its headers after `topHeaders` (the message's own, for the root part), a
 * blank line, and its body; multiparts recurse. Chunks are yielded as they are encoded.
 * @param open reads a blob's bytes; called once per blob part when its turn comes, and once more
 *   before for an embedded message (its encoding and the boundary around it)
 * @throws PermanentError `outbound.forward-boundary-taken` when an embedded message holds every
 *   boundary tried
 */
export async function* mimeBytes(part: MimePart, topHeaders: readonly string[], open: OpenBlob): AsyncGenerator<Buffer> {
  if (part.kind !== 'multipart') {
    const { headers, body } = await leafOf(part, open, new Map());
    yield Buffer.from(`${[...topHeaders, ...headers].join('\r\n')}\r\n\r\n`, 'latin1');
    yield* body;
    return;
  }
  const { boundary, encodings } = await enclosingBoundary(part, open);
  const contentType = `Content-Type: multipart/${part.subtype};\r\n boundary="${boundary}"`;
  yield Buffer.from(`${[...topHeaders, contentType].join('\r\n')}\r\n\r\n`, 'latin1');
  for (const child of part.parts) {
    yield Buffer.from(`--${boundary}\r\n`, 'latin1');
    if (child.kind === 'multipart') {
      yield* mimeBytes(child, [], open);
      continue;
    }
    const { headers, body } = await leafOf(child, open, encodings);
    yield Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'latin1');
    yield* body;
  }
  yield Buffer.from(`--${boundary}--\r\n`, 'latin1');
}

/** A leaf's headers and body; an embedded message's encoding from `encodings`, else read for it. */
async function leafOf(part: LeafPart | EmbeddedPart, open: OpenBlob, encodings: ReadonlyMap<EmbeddedPart, EmbeddedEncoding>): Promise<{ headers: readonly string[]; body: AsyncGenerator<Buffer> }> {
  if (part.kind === 'leaf') return { headers: part.headers, body: base64Body(part.source, open, part.text ?? false) };
  const encoding = encodings.get(part) ?? (await scanEmbeddedMessage(await openSource(part.source, open), [])).encoding;
  return {
    headers: embeddedMessageHeaders(parameter('filename', attachmentFilename(part.filename)), encoding),
    body: embeddedMessageBody(await openSource(part.source, open), new CrlfLineBreaks()),
  };
}

/**
 * The boundary of `part`: its own, or when an embedded message among its children holds a line that
 * starts with it, the first of a few others (`<boundary>_<n>`) that none holds; and the encodings
 * the same read found.
 */
async function enclosingBoundary(part: MultiPart, open: OpenBlob): Promise<{ boundary: string; encodings: Map<EmbeddedPart, EmbeddedEncoding> }> {
  const candidates = Array.from({ length: EMBEDDED_MESSAGE_LIMITS.maxBoundaryCandidates }, (_, n) => (n === 0 ? part.boundary : `${part.boundary}_${n}`));
  const encodings = new Map<EmbeddedPart, EmbeddedEncoding>();
  const taken = new Set<string>();
  for (const child of part.parts) {
    if (child.kind !== 'message') continue;
    const scan = await scanEmbeddedMessage(await openSource(child.source, open), candidates);
    encodings.set(child, scan.encoding);
    for (const b of scan.clashes) taken.add(b);
  }
  const boundary = candidates.find((b) => !taken.has(b));
  if (boundary === undefined) throw new PermanentError(R.outboundForwardBoundaryTaken, `the forwarded message holds all ${candidates.length} boundaries that could enclose it`);
  return { boundary, encodings };
}

/** The bytes of a source as a stream: an inline text as UTF-8, a blob as `open` reads it. */
async function openSource(source: PartSource, open: OpenBlob): Promise<Readable> {
  return source.kind === 'inline' ? Readable.from([Buffer.from(source.text, 'utf8')]) : open(source.blob);
}

/** The body base64-encoded in lines of 76 characters, ending with a CRLF; `text` bodies with CRLF line breaks. */
async function* base64Body(source: PartSource, open: OpenBlob, text: boolean): AsyncGenerator<Buffer> {
  const encoder = new Encoder({ lineLength: OUTBOUND_PART_LIMITS.base64LineChars });
  const head: Writable = text ? new CrlfLineBreaks() : encoder;
  if (head !== encoder) (head as Transform).on('error', (err) => encoder.destroy(err)).pipe(encoder);
  let input: Readable | undefined;
  let wrote = false;
  try {
    if (source.kind === 'inline') {
      head.end(Buffer.from(source.text, 'utf8'));
    } else {
      input = await open(source.blob);
      // Errors of the input are passed on so that the for-await below throws them.
      input.on('error', (err) => encoder.destroy(err));
      input.pipe(head);
    }
    for await (const chunk of encoder as AsyncIterable<Buffer>) {
      wrote ||= chunk.length > 0;
      yield chunk;
    }
  } finally {
    // Must happen when the consumer stops early (size limit, upload failure): the S3 response's socket is freed.
    input?.destroy();
    head.destroy();
    encoder.destroy();
  }
  if (wrote) yield Buffer.from('\r\n', 'latin1');
}

/** ` name="value"` or RFC 2231 continuations, each on a folded line. */
function parameter(attribute: string, value: string): string {
  // `=?` would be read as an encoded-word (clients decode them in quoted names too).
  if (PLAIN_FILENAME.test(value) && !value.includes('=?')) return `\r\n ${attribute}="${value.replace(/[\\"]/g, '\\$&')}"`;
  const segments = percentSegments(value);
  if (segments.length === 1) return `\r\n ${attribute}*=utf-8''${segments[0]}`;
  return segments.map((s, i) => `\r\n ${attribute}*${i}*=${i === 0 ? "utf-8''" : ''}${s}${i < segments.length - 1 ? ';' : ''}`).join('');
}

/** RFC 2231 attribute-char: what a value may hold without a `%XX` escape. */
const ATTRIBUTE_CHAR = /^[A-Za-z0-9!#$&+.^_`|~-]$/;

/** RFC 2231 4: UTF-8, every byte outside attribute-char as `%XX`, cut between whole characters. */
function percentSegments(value: string): string[] {
  const encoded = [...value].map((char) =>
    ATTRIBUTE_CHAR.test(char) ? char : [...Buffer.from(char, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
  const segments: string[] = [];
  let current = '';
  for (const piece of encoded) {
    if (current.length + piece.length > OUTBOUND_PART_LIMITS.maxParameterSegmentChars) {
      segments.push(current);
      current = '';
    }
    current += piece;
  }
  segments.push(current);
  return segments;
}

/** Bare LFs as CRLF, a CRLF split across chunks included; everything else passes unchanged. */
class CrlfLineBreaks extends Transform {
  private lastByte = -1;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let from = 0;
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) {
      const before = i > 0 ? chunk[i - 1] : this.lastByte;
      if (before === 0x0d) continue;
      this.push(chunk.subarray(from, i));
      this.push(Buffer.from('\r\n', 'latin1'));
      from = i + 1;
    }
    if (from < chunk.length) this.push(chunk.subarray(from));
    if (chunk.length) this.lastByte = chunk[chunk.length - 1]!;
    done();
  }
}
