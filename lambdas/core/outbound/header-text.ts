/**
 * One rule for every free-text header value Postroom writes (display names, Subject), issue 11
 * item 6: refuse at the edge, encode at the last line.
 *
 * - At the edge (admin fields, agent input), {@link headerTextProblem} and {@link displayNameProblem}
 *   refuse what could break out of a header or mislead a reader, with a field-level message.
 * - At the last line (the composer), values that never passed an edge (a customer's subject in
 *   "Re: ...", a stored record) are flattened ({@link flattenHeaderText}) and encoded: RFC 2047
 *   encoded-words for anything that is not plain ASCII, quoted strings for ASCII display names.
 *   Whatever a value holds, the encoded form is printable ASCII folded into lines of at most
 *   {@link HEADER_TEXT_LIMITS.maxLineChars}, so it can add neither a header nor a recipient.
 */

/** Limits of encoded header text. */
export const HEADER_TEXT_LIMITS = {
  /** RFC 5322 2.1.1: lines SHOULD be at most 78 characters; folding keeps encoded values there. */
  maxLineChars: 78,
  /** RFC 2047 2: an encoded-word is at most 75 characters. */
  maxEncodedWordChars: 75,
  /** An unbreakable ASCII word longer than this is encoded (encoded-words fold); RFC 5322 caps lines at 998. */
  maxPlainWordChars: 900,
} as const;

/** C0 controls (tab, CR, LF and NUL included), DEL, C1 controls (NEL U+0085 included), U+2028, U+2029. */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** A UTF-16 surrogate without its partner cannot be written as UTF-8. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const HAS_LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** What makes a display name read as an address or an address list in a mail client. */
const ADDRESS_SYNTAX = /[<>@]/;
const PLAIN_ASCII = /^[\u0020-\u007e]*$/;
const ENCODED_WORD_PREFIX = '=?UTF-8?B?';
/** UTF-8 bytes per encoded-word: 45 bytes are 60 base64 characters, 72 with the prefix and `?=`. */
const ENCODED_WORD_BYTES = 45;

/**
 * Why `value` may not be header text, or undefined when it may: a line break (CR, LF, NEL, U+2028,
 * U+2029), NUL, a tab or any other C0/C1 control, or a broken UTF-16 surrogate.
 * @returns a field-level message (`must not contain ...`)
 */
export function headerTextProblem(value: string): string | undefined {
  const control = HAS_CONTROL.exec(value);
  if (control) return `must be one line without control characters (found ${codePoint(control[0])} at position ${control.index + 1})`;
  if (HAS_LONE_SURROGATE.test(value)) return 'must be valid Unicode text (it holds a broken surrogate pair)';
  return undefined;
}

/**
 * {@link headerTextProblem} for a display name (an address route's from name, a recipient's name),
 * which must also not read as an address: `"Bank" <ceo@bank.example>, Evil` is refused. A comma
 * is fine (`Müller, Hans`): the composer quotes or encodes the name.
 * @returns a field-level message, or undefined when the name may be used
 */
export function displayNameProblem(value: string): string | undefined {
  return headerTextProblem(value) ?? (ADDRESS_SYNTAX.test(value) ? "must be a name, not an address: no '@', '<' or '>'" : undefined);
}

/**
 * `value` as one line: each control character and line separator becomes a space, a broken
 * surrogate becomes U+FFFD, and the ends are trimmed. What the composer does to values that did
 * not pass an edge check (a customer's subject); values that did are returned trimmed.
 */
export function flattenHeaderText(value: string): string {
  return value.replace(CONTROLS, ' ').replace(LONE_SURROGATE, '\ufffd').trim();
}

/**
 * An unstructured header value (Subject), flattened and ready to follow `Name: `: printable ASCII
 * folded at spaces, or else RFC 2047 B encoded-words in UTF-8, one per line. Why encode every
 * non-ASCII value whole: it is the form every client decodes, and it folds anywhere.
 * @param value any text
 * @param nameChars the length of the header name with its `: `, for the first line's budget
 * @returns the field body; lines joined by CRLF + space (folded), no trailing CRLF
 */
export function encodeHeaderText(value: string, nameChars: number): string {
  const flat = flattenHeaderText(value);
  const words = flat.split(' ');
  const plain = PLAIN_ASCII.test(flat) && !flat.includes('=?') && words.every((w) => w.length <= HEADER_TEXT_LIMITS.maxPlainWordChars);
  return plain ? foldAtSpaces(words, nameChars) : encodedWords(flat).join('\r\n ');
}

/**
 * A display name as an RFC 5322 phrase: a quoted string for printable ASCII (quotes and
 * backslashes escaped), else encoded-words. Why always quote: a name with a comma, a colon or a
 * semicolon would otherwise split the address list.
 * @returns the phrase; an encoded name may span several folded lines
 */
export function encodeDisplayName(name: string): string {
  const flat = flattenHeaderText(name);
  const quoted = `"${flat.replace(/[\\"]/g, '\\$&')}"`;
  if (PLAIN_ASCII.test(flat) && !flat.includes('=?') && quoted.length <= HEADER_TEXT_LIMITS.maxLineChars - 2) return quoted;
  return encodedWords(flat).join('\r\n ');
}

/** The UTF-8 text as B encoded-words of at most {@link ENCODED_WORD_BYTES} bytes, never splitting a character. */
function encodedWords(text: string): string[] {
  if (text === '') return [];
  const words: string[] = [];
  let chunk = '';
  let bytes = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > ENCODED_WORD_BYTES) {
      words.push(encodeWord(chunk));
      chunk = '';
      bytes = 0;
    }
    chunk += char;
    bytes += size;
  }
  words.push(encodeWord(chunk));
  return words;
}

function encodeWord(chunk: string): string {
  return `${ENCODED_WORD_PREFIX}${Buffer.from(chunk, 'utf8').toString('base64')}?=`;
}

/** Greedy folding at spaces (RFC 5322 3.2.2): unfolding removes only the CRLF, so the text is unchanged. */
function foldAtSpaces(words: readonly string[], nameChars: number): string {
  let out = '';
  let line = nameChars;
  words.forEach((word, i) => {
    if (i === 0) {
      out = word;
      line += word.length;
    } else if (line + 1 + word.length > HEADER_TEXT_LIMITS.maxLineChars && word !== '') {
      out += `\r\n ${word}`;
      line = 1 + word.length;
    } else {
      out += ` ${word}`;
      line += 1 + word.length;
    }
  });
  return out;
}

function codePoint(char: string): string {
  return `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}
