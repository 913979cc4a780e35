/**
 * HTML bodies of inbound mail, made safe to render in the agent desktop.
 *
 * Mail HTML is hostile: it carries scripts, event handlers, `javascript:` links, forms, frames and
 * tracking CSS. We keep an allow-list of formatting tags and attributes and drop everything else.
 * `cid:` images are kept so that the UI can resolve them to stored inline attachments.
 */
import sanitizeHtml from 'sanitize-html';

/**
 * Formatting tags an agent needs to read a customer's mail as it was written. Anything not listed
 * (script, style, iframe, object, form, input, svg, math, meta, link, base...) is removed; the text
 * inside a removed tag is kept, except for the raw-text tags listed in {@link DROPPED_TEXT_TAGS}.
 */
const ALLOWED_TAGS: readonly string[] = [
  'a', 'abbr', 'b', 'bdi', 'bdo', 'blockquote', 'br', 'caption', 'center', 'cite', 'code', 'col',
  'colgroup', 'dd', 'del', 'dfn', 'div', 'dl', 'dt', 'em', 'font', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp', 'small', 'span',
  'strike', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'u', 'ul',
  'var', 'wbr',
];

/** Tags whose text is code or metadata, not content: it must not leak into the body as text. */
const DROPPED_TEXT_TAGS: readonly string[] = ['script', 'style', 'textarea', 'option', 'title', 'noscript', 'xmp'];

/**
 * Presentational attributes only. No `style` (CSS can overlay the UI, fetch `url()`s and costs a
 * CSS parse per attribute), no `class`/`id` (they would collide with the desktop's own CSS), and
 * never an event handler (`on*`), which sanitize-html drops because it is not listed here.
 */
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  '*': ['dir', 'lang', 'title', 'align'],
  a: ['href', 'name'],
  img: ['src', 'alt', 'width', 'height'],
  font: ['color', 'face', 'size'],
  table: ['border', 'cellpadding', 'cellspacing', 'width', 'bgcolor'],
  td: ['colspan', 'rowspan', 'valign', 'width', 'bgcolor'],
  th: ['colspan', 'rowspan', 'valign', 'width', 'bgcolor'],
  col: ['span', 'width'],
  colgroup: ['span', 'width'],
  ol: ['start', 'type'],
  blockquote: ['cite'],
};

/** Links may go to the web, a mailbox or a phone; never `javascript:`, `data:` or `vbscript:`. */
const ALLOWED_SCHEMES = ['http', 'https', 'mailto', 'tel'];
/** Images may also point at a part of the same message (`cid:`), resolved by the UI. */
const IMAGE_SCHEMES = ['http', 'https', 'cid'];

/** The result of one sanitizer pass: safe HTML and, when asked for, a text preview. */
export interface SanitizedHtml {
  readonly html: string;
  /** Visible text of the HTML, whitespace collapsed, at most `previewChars` characters. */
  readonly previewText: string;
  /** True when the visible text was longer than the preview. */
  readonly previewTruncated: boolean;
}

const SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [...ALLOWED_TAGS],
  allowedAttributes: ALLOWED_ATTRIBUTES,
  allowedSchemes: ALLOWED_SCHEMES,
  allowedSchemesByTag: { img: IMAGE_SCHEMES },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'background'],
  allowProtocolRelative: false,
  nonTextTags: [...DROPPED_TEXT_TAGS],
  disallowedTagsMode: 'discard',
  parseStyleAttributes: false,
};

/** Every `<a` start tag of sanitized output: text `<` is always escaped there, so this matches tags only. */
const ANCHOR_START = /<a(?=[\s>])/g;

/**
 * Sanitizes a mail HTML body with Postroom's allow-list.
 *
 * Links get `rel="noopener noreferrer"` and `target="_blank"` so they never navigate the desktop.
 * Why that is a string pass over the output rather than sanitize-html's `transformTags`: a
 * transform makes sanitize-html twice as slow, and in sanitized output every `<a` is a tag.
 * Why a preview is optional: HTML-only mail has no text part, so its preview comes from the
 * HTML; it is read off the sanitized output (tags stripped, entities undone), a linear pass that
 * stops once `previewChars` characters are collected, instead of a costly HTML-to-text conversion.
 * @param html the decoded HTML body (any size; the caller bounds it by the message size limit)
 * @param previewChars how much visible text to collect; 0 (the default) collects none
 */
export function sanitizeMailHtml(html: string, previewChars = 0): SanitizedHtml {
  const safe = sanitizeHtml(html, SANITIZE_OPTIONS).replace(ANCHOR_START, '<a rel="noopener noreferrer" target="_blank"');
  if (previewChars <= 0) return { html: safe, previewText: '', previewTruncated: false };
  return { html: safe, ...previewOf(safe, previewChars) };
}

/** Visible text of sanitized HTML: the text between tags, entities undone, whitespace collapsed. */
function previewOf(safe: string, max: number): { previewText: string; previewTruncated: boolean } {
  const textRuns = /(?:^|>)([^<]+)/g;
  let text = '';
  for (let match = textRuns.exec(safe); match; match = textRuns.exec(safe)) {
    text += ' ' + unescapeHtml(match[1]!).replace(/\s+/g, ' ');
    if (text.length > max * 2) break;
  }
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return { previewText: collapsed.slice(0, max).trim(), previewTruncated: collapsed.length > max };
}

/** Reverses sanitize-html's own text escaping (it escapes only these five). */
function unescapeHtml(text: string): string {
  if (!text.includes('&')) return text;
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
