/**
 * Repairs raw header lines before mailparser decodes them, for the two charset cases it gets wrong.
 *
 * mailparser turns a raw header line (a binary string, one char per byte) into UTF-8 before it
 * decodes RFC 2047 encoded words, so a raw 8-bit byte inside `=?iso-8859-1?Q?Fr<F6>sche?=` becomes
 * U+FFFD and then `ï¿½`; and it refuses UTF-7 (RFC 2152) words, leaving `Fr+APY-sche`. Both are
 * rewritten here into forms it decodes correctly, byte-exactly:
 *
 * - raw 8-bit bytes inside a Q encoded word are escaped as `=XX`, so they are decoded in the word's
 *   declared charset;
 * - a UTF-7 encoded word is decoded (iconv-lite `utf7`) and re-encoded as a UTF-8 B word;
 * - raw 8-bit bytes outside encoded words are kept when the line is valid UTF-8 (RFC 6532), and
 *   otherwise decoded in the node's declared charset (Content-Type `charset=`), falling back to
 *   ISO-8859-1 (latin1), which maps every byte to a character.
 */
import iconv from 'iconv-lite';
import { MailParser } from 'mailparser';

/** One raw header line as mailsplit hands it over: lower-cased name and the folded line. */
export interface RawHeaderLine {
  readonly key: string;
  readonly line: string;
}

/** The charset raw 8-bit header bytes are read in when they are not UTF-8 and none is declared. */
export const FALLBACK_HEADER_CHARSET = 'latin1';

const ENCODED_WORD = /=\?([^?\s]{1,75})\?([qQbB])\?([^?\s]*)\?=/g;
const EIGHT_BIT = /[\x80-\xff]/;
const EIGHT_BIT_ALL = /[\x80-\xff]/g;
const UTF7 = /^(?:(?:cs)?unicode11)?utf7$/;

/** True for the names iconv-lite and mailers use for UTF-7 (`utf-7`, `UTF7`, `unicode-1-1-utf-7`). */
export function isUtf7Charset(charset: string | undefined): boolean {
  return UTF7.test((charset ?? '').toLowerCase().replace(/\*.*$/, '').replace(/[^a-z0-9]/g, ''));
}

/**
 * Rewrites one raw line (binary string in, binary string out); see the module comment.
 * @param fallbackCharset the charset for raw 8-bit bytes outside encoded words that are not UTF-8;
 *   defaults to {@link FALLBACK_HEADER_CHARSET}
 */
export function repairHeaderLine(line: string, fallbackCharset: string = FALLBACK_HEADER_CHARSET): string {
  let hasWords = false;
  const repaired = line.replace(ENCODED_WORD, (word, charset: string, encoding: string, text: string) => {
    hasWords = true;
    if (isUtf7Charset(charset)) return utf8Word(iconv.decode(wordBytes(encoding, text), 'utf7'));
    if (encoding.toLowerCase() === 'q' && EIGHT_BIT.test(text)) {
      return `=?${charset}?Q?${text.replace(EIGHT_BIT_ALL, (ch) => `=${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}?=`;
    }
    return word;
  });
  if (!EIGHT_BIT.test(repaired)) return hasWords ? repaired : line;
  const bytes = Buffer.from(repaired, 'binary');
  if (isValidUtf8(bytes)) return repaired;
  return Buffer.from(iconv.decode(bytes, fallbackCharset), 'utf8').toString('binary');
}

/**
 * The repair applied to one header block: the fallback charset is the block's own declared
 * `charset=` when iconv-lite knows it and it is a plain byte charset (not UTF-8 or UTF-7), else latin1.
 */
export function repairHeaderBlock<T extends RawHeaderLine>(lines: readonly T[]): T[] {
  if (!lines.some((l) => EIGHT_BIT.test(l.line) || l.line.includes('=?'))) return [...lines];
  const fallback = declaredCharset(lines) ?? FALLBACK_HEADER_CHARSET;
  return lines.map((l) => ({ ...l, line: repairHeaderLine(l.line, fallback) }));
}

function declaredCharset(lines: readonly RawHeaderLine[]): string | undefined {
  const contentType = lines.find((l) => l.key === 'content-type')?.line;
  const charset = contentType?.match(/;\s*charset\s*=\s*"?([A-Za-z0-9_.:-]{1,40})/i)?.[1];
  if (!charset || isUtf7Charset(charset) || /^utf-?8$/i.test(charset) || !iconv.encodingExists(charset)) return undefined;
  return charset;
}

function wordBytes(encoding: string, text: string): Buffer {
  if (encoding.toLowerCase() === 'b') return Buffer.from(text, 'base64');
  const qp = text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(qp, 'binary');
}

function utf8Word(value: string): string {
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

function isValidUtf8(bytes: Buffer): boolean {
  // Node 20 has no Buffer.isUtf8 on every minor; a fatal TextDecoder is the portable check.
  try {
    UTF8_STRICT.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true });

/** The mailparser internals the repair wraps: header processing per node and the body decoder. */
interface CharsetInternals {
  processHeaders(lines: readonly RawHeaderLine[]): unknown;
  decoder: { decodeStream(charset: string): NodeJS.ReadWriteStream };
}

// Fail the cold start, not a message, if a mailparser upgrade removes the hooks the repair needs.
if (typeof (MailParser.prototype as unknown as Partial<CharsetInternals>).processHeaders !== 'function') {
  throw new Error('mailparser no longer has MailParser.prototype.processHeaders; header charsets cannot be repaired');
}

/**
 * Installs the charset repair on one parser instance (never on the prototype): every node's header
 * lines go through {@link repairHeaderBlock}, and `charset=utf-7` text bodies are decoded with
 * iconv-lite's `utf7` instead of being left encoded. Why decoding UTF-7 is safe here: an HTML body
 * is sanitized after decoding (html-sanitizer.ts), so `+ADw-script+AD4-` becomes a harmless
 * `<script>` that the sanitizer removes, and text bodies are never rendered as markup.
 */
export function repairCharsets(parser: MailParser): void {
  const target = parser as unknown as CharsetInternals;
  const processHeaders = target.processHeaders.bind(parser);
  target.processHeaders = (lines) => processHeaders(repairHeaderBlock(lines ?? []));
  const decoder = target.decoder;
  target.decoder = {
    decodeStream: (charset) => (isUtf7Charset(charset) ? iconv.decodeStream('utf7') : decoder.decodeStream(charset)),
  };
}
