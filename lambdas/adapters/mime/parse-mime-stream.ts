/**
 * The streaming MIME parse behind {@link S3MessageParser}: raw bytes in, {@link ParsedMail} out,
 * attachments streamed into a {@link PartSink} one at a time. Storage-agnostic, so tests and
 * benchmarks run exactly this code with an in-memory or discarding sink.
 */
import type { Readable } from 'node:stream';
import { MailParser, type AttachmentStream, type MailParserOptions, type MessageText } from 'mailparser';
import { PostroomError, QuarantineError, TransientError } from '../../core/errors.ts';
import { MAIL_LIMITS, type MailLimits } from '../../core/limits.ts';
import type { AttachmentMeta, BlobRef, ParsedMail } from '../../core/message.ts';
import { sanitizeMailHtml } from './html-sanitizer.ts';
import { stripControlChars } from './control-chars.ts';
import { repairCharsets } from './header-charset.ts';
import { extractMailHeaders } from './mail-headers.ts';
import { guardMimeTree, quarantineOfParserError, splitterLimitOptions } from './mime-tree-guard.ts';
import type { PartSink } from './part-sink.ts';

/** Longest attachment file name kept: common file systems cap a name at 255 bytes. */
export const MAX_FILENAME_CHARS = 255;
/** Longest Content-ID kept: it only has to match a `cid:` URL, and RFC 5322 lines stop at 998. */
export const MAX_CONTENT_ID_CHARS = 998;
/** Attachment checksums are sha256 so they can be compared with S3's and with virus-scan databases. */
export const CHECKSUM_ALGORITHM = 'sha256';

/**
 * mailparser options for untrusted mail at volume. Every conversion we do not need is off:
 * HTML->text (we derive a preview while sanitizing), text->HTML and linkifying (the UI renders
 * text itself), cid: inlining (it would copy every image into the HTML as base64). Delivery-status
 * parts stay visible as attachments so that bounce handling can read them.
 */
export const LEAN_PARSER_OPTIONS: MailParserOptions = {
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
  keepDeliveryStatus: true,
  checksumAlgo: CHECKSUM_ALGORITHM,
};

/** Classifies an error of the source stream (the raw message being read). */
export type SourceErrorClassifier = (err: unknown) => PostroomError;

const defaultSourceError: SourceErrorClassifier = (err) =>
  err instanceof PostroomError
    ? err
    : new TransientError('raw-read-failed', `reading the raw message failed: ${(err as Error)?.message ?? err}`, { cause: err });

/**
 * Parses one raw message from any stream.
 *
 * Limits are enforced while streaming: the byte count (`too-large`), nesting (`too-deep`), part
 * count (`too-many-parts`) and header blocks (`header-too-large`); at the first violation the
 * source and parser are destroyed and in-flight stores aborted. Whatever mailparser rejects is
 * `unparseable`. Errors of the source go through `sourceError` (transient by default), errors of
 * the sink are kept if they are Postroom errors and transient otherwise. The promise always
 * settles: every stream involved has an error path into it.
 * @param source the raw .eml bytes; consumed and destroyed on failure
 * @param sink where attachments and long bodies go
 * @param limits defaults to {@link MAIL_LIMITS}
 * @param sourceError how to classify a failing source; defaults to `TransientError('raw-read-failed')`
 */
export function parseMimeStream(
  source: Readable,
  sink: PartSink,
  limits: MailLimits = MAIL_LIMITS,
  sourceError: SourceErrorClassifier = defaultSourceError,
): Promise<ParsedMail> {
  return new Promise<ParsedMail>((resolve, reject) => {
    const parser = new MailParser({ ...LEAN_PARSER_OPTIONS, ...splitterLimitOptions(limits) });
    const tree = guardMimeTree(parser, limits);
    repairCharsets(parser);
    const attachments: AttachmentMeta[] = [];
    const stores: Promise<void>[] = [];
    const openContent = new Set<Readable>();
    let bytes = 0;
    let body: MessageText | undefined;
    let settled = false;

    const fail = (error: PostroomError): void => {
      if (settled) return;
      settled = true;
      const err = error instanceof QuarantineError ? withReadHeaders(error, parser) : error;
      source.unpipe(parser);
      source.destroy();
      destroyParser(parser);
      for (const content of openContent) content.destroy();
      void sink.abort().catch(() => undefined);
      reject(err);
    };

    const store = (attachment: AttachmentStream, index: number): Promise<void> => {
      const content = attachment.content;
      openContent.add(content);
      // A decoding failure inside the part is the message's fault, not the sink's.
      content.once('error', (err) => fail(quarantineOfParserError(err)));
      const info = { index, contentType: attachment.contentType, ...filenameOf(attachment) };
      return sink.storeAttachment(info, content).then(
        (blob) => {
          openContent.delete(content);
          attachments[index] = attachmentMeta(attachment, blob);
          attachment.release?.();
        },
        (err: unknown) => fail(sinkError(err)),
      );
    };

    source.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limits.maxMessageBytes) {
        fail(new QuarantineError('too-large', `raw message exceeds ${limits.maxMessageBytes} bytes`));
      }
    });
    source.once('error', (err) => fail(sourceError(err)));
    parser.on('error', (err) => fail(quarantineOfParserError(err)));
    parser.on('readable', () => {
      let item: AttachmentStream | MessageText | null;
      while (!settled && (item = parser.read()) !== null) {
        if (item.type === 'attachment') stores.push(store(item, stores.length));
        else body = item;
      }
    });
    parser.once('end', () => {
      Promise.all(stores)
        .then(async () => {
          if (settled) return;
          if (bytes === 0) throw new QuarantineError('unparseable', 'the raw message is empty');
          const stats = { parts: tree.parts, depth: tree.depth, bytes };
          const mail = await assemble(parser, body, attachments, sink, limits, stats);
          if (!settled) {
            settled = true;
            resolve(mail);
          }
        })
        .catch((err: unknown) => fail(sinkError(err)));
    });
    source.pipe(parser);
  });
}

/** Puts headers, bodies and attachment metadata together once the parser has ended. */
async function assemble(
  parser: MailParser,
  body: MessageText | undefined,
  attachments: readonly AttachmentMeta[],
  sink: PartSink,
  limits: MailLimits,
  stats: ParsedMail['stats'],
): Promise<ParsedMail> {
  const facts = extractMailHeaders({ headers: parser.headers || new Map(), headerLines: parser.headerLines || [] });
  // NUL and other C0 controls never reach a preview or a stored body (control-chars.ts).
  const fullText = stripControlChars(body?.text ?? '');
  // A regex test, not `trim() !== ''`: trimming copies the whole body just to look at it.
  const hasText = NON_BLANK.test(fullText);
  // HTML-only mail gets its preview from the HTML; otherwise the text part is the preview.
  const sanitized = body?.html ? sanitizeMailHtml(body.html, hasText ? 0 : limits.maxPreviewChars) : undefined;
  const textTruncated = hasText ? fullText.length > limits.maxPreviewChars : (sanitized?.previewTruncated ?? false);
  const text = hasText ? cutChars(fullText, limits.maxPreviewChars) : stripControlChars(sanitized?.previewText ?? '');
  const htmlInline = sanitized && fitsInline(sanitized.html, limits.maxInlineHtmlBytes);
  const [textBlob, htmlBlob] = await Promise.all([
    hasText && textTruncated ? sink.storeBody('text', fullText) : undefined,
    sanitized && !htmlInline ? sink.storeBody('html', sanitized.html) : undefined,
  ]);
  return {
    ...facts,
    text,
    textTruncated,
    attachments,
    stats,
    ...(htmlInline && { html: sanitized.html }),
    ...(textBlob && { textBlob }),
    ...(htmlBlob && { htmlBlob }),
  };
}

/**
 * The quarantine error with the root header facts attached, when the root header block was read
 * (it was within limits: a too-many-parts or too-deep mail fails only after it). Header extraction
 * is bounded and never throws on malformed values; if it fails anyway the error stays as it was.
 */
function withReadHeaders(err: QuarantineError, parser: MailParser): QuarantineError {
  if (err.headers || !parser.headers || !parser.headerLines) return err;
  try {
    const { headers: _selected, ...facts } = extractMailHeaders({ headers: parser.headers, headerLines: parser.headerLines });
    return new QuarantineError(err.reason, err.message, { cause: err.cause ?? err, headers: facts });
  } catch {
    return err;
  }
}

/** Any character that is not white space. */
const NON_BLANK = /\S/;

/** UTF-8 needs at most 3 bytes per UTF-16 unit, so most bodies need no byte count at all. */
function fitsInline(html: string, maxBytes: number): boolean {
  return html.length * 3 <= maxBytes || Buffer.byteLength(html) <= maxBytes;
}

function attachmentMeta(attachment: AttachmentStream, blob: BlobRef): AttachmentMeta {
  const size = attachment.size ?? blob.size ?? 0;
  const contentId = attachment.contentId?.trim();
  return {
    contentType: attachment.contentType,
    size,
    inline: attachment.contentDisposition === 'inline' || attachment.related === true,
    blob: { ...blob, size },
    ...filenameOf(attachment),
    ...(contentId && { contentId: cutChars(contentId, MAX_CONTENT_ID_CHARS) }),
    ...(attachment.checksum && { checksum: attachment.checksum }),
  };
}

function filenameOf(attachment: AttachmentStream): { filename?: string } {
  const name = attachment.filename?.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return name ? { filename: cutChars(name, MAX_FILENAME_CHARS) } : {};
}

function sinkError(err: unknown): PostroomError {
  if (err instanceof PostroomError) return err;
  return new TransientError('part-store-failed', `storing a part failed: ${(err as Error)?.message ?? err}`, { cause: err });
}

/** Cuts to at most `max` UTF-16 units without leaving half a surrogate pair behind. */
function cutChars(value: string, max: number): string {
  if (value.length <= max) return value;
  const code = value.charCodeAt(max - 1);
  return value.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

/** mailparser runs an internal splitter pipeline; stop it too, so no work continues after a failure. */
function destroyParser(parser: MailParser): void {
  const internals = parser as unknown as { splitter?: Readable; chunkedPassthrough?: Readable };
  parser.destroy();
  internals.chunkedPassthrough?.destroy();
  internals.splitter?.destroy();
}
