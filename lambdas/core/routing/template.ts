/**
 * Auto-acknowledgement templates: `{{subject}}`, `{{from.name}}`, `{{reference}}`... replaced by
 * values of the customer's message. Those values are hostile input, and the rendered subject
 * becomes a header: no CR or LF may ever reach it, or a customer could inject headers (or a whole
 * second message) into our reply.
 */
import { FLOW_LIMITS } from './flow.ts';

/** The placeholders a template may use. */
export const TEMPLATE_PLACEHOLDERS = ['subject', 'from.name', 'from.address', 'reference', 'recipient'] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

/** Values for the placeholders; a missing one renders as an empty string. */
export type TemplateValues = Partial<Record<TemplatePlaceholder, string>>;

/** A template to render: both parts are plain text. */
export interface AckTemplate {
  readonly subject: string;
  readonly body: string;
}

/** One value inserted into a template is at most this long (a subject is cut well before). */
export const MAX_TEMPLATE_VALUE_CHARS = 998;

const PLACEHOLDER = /\{\{\s*([a-zA-Z.]+)\s*\}\}/g;
const KNOWN: ReadonlySet<string> = new Set(TEMPLATE_PLACEHOLDERS);
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex
const LINE_BREAKS = /[\r\n\u0085\u2028\u2029]+/g;

/** The placeholders in `text` that {@link TEMPLATE_PLACEHOLDERS} does not know, for validation. */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '').filter((name) => !KNOWN.has(name));
}

/**
 * Renders `template` with `values`. Why each value is flattened to one line: a subject or a name
 * from the customer's mail must not add lines to our text or headers to our subject. The subject
 * is then flattened as a whole (the template's own text included), whitespace collapsed, and cut
 * to {@link FLOW_LIMITS.maxAckSubjectChars}; the body is cut to {@link FLOW_LIMITS.maxAckBodyChars}.
 */
export function renderAckTemplate(template: AckTemplate, values: TemplateValues): AckTemplate {
  const fill = (text: string) =>
    text.replace(PLACEHOLDER, (_, name: string) => (KNOWN.has(name) ? oneLine(values[name as TemplatePlaceholder] ?? '') : ''));
  const subject = oneLine(fill(template.subject)).slice(0, FLOW_LIMITS.maxAckSubjectChars).trim();
  const body = fill(template.body).replace(CONTROL, '').slice(0, FLOW_LIMITS.maxAckBodyChars);
  return { subject, body };
}

/**
 * The placeholder values of a customer's message: its subject and sender, the interaction id as
 * `reference`, and the address it was sent to. Rendering flattens them; nothing is trusted here.
 */
export function templateValuesOf(
  message: { readonly subject: string; readonly from?: { readonly address: string; readonly name?: string } },
  reference: string,
  recipient?: string,
): TemplateValues {
  return {
    subject: message.subject,
    reference,
    ...(message.from && { 'from.address': message.from.address, 'from.name': message.from.name ?? message.from.address }),
    ...(recipient !== undefined && { recipient }),
  };
}

/** A header-safe single line: line breaks and control characters become spaces, runs collapse. */
export function oneLine(text: string): string {
  return text
    .slice(0, MAX_TEMPLATE_VALUE_CHARS)
    .replace(LINE_BREAKS, ' ')
    .replace(CONTROL, ' ')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}
