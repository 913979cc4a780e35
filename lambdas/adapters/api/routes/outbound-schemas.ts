/**
 * The bodies of the sending routes (issue 11 item 1) at the API's edge: addresses parsed and
 * normalized (domain lower-case, IDN as punycode), display names and subjects on one line without
 * control characters (they become headers: no CR, LF, NUL, NEL or U+2028 may add a header or a
 * recipient), by the field schemas of outbound-field-schemas.ts.
 */
import * as z from 'zod/mini';
import { TEMPLATE_PLACEHOLDERS } from '../../../core/routing/template.ts';
import { MAIL_LIMITS } from '../../../core/limits.ts';
import { headerTextField, namedAddressField } from './outbound-field-schemas.ts';

/** Limits of a send request's free text. */
export const SEND_TEXT_LIMITS = {
  /** RFC 5322 caps a header line at 998 characters; the token and `Re: ` fit beside it. */
  maxSubjectChars: 900,
  /** The API's body limit caps bodies anyway; this keeps one field from taking it all. */
  maxBodyChars: 4 * 1024 * 1024,
  /** Every recipient list: the 50-recipient rule is checked on all of them together. */
  maxListed: 100,
  /** Attachments per message: real mail has a handful; the 40 MB rule holds the bytes. */
  maxAttachments: 50,
} as const;

/** Longest file name of an upload; file systems cap names at 255 bytes. */
export const MAX_UPLOAD_NAME_CHARS = 200;

/**
 * An address as `"a@b"` or `{ address, name? }`, checked by the one header rule of issue 11 item 6
 * (outbound-field-schemas.ts: IDN to punycode, no controls, no address-like names) and answered as
 * `{ address, name? }`.
 */
const mailAddress = z.pipe(
  z.transform((a: unknown) => (typeof a === 'string' ? { address: a } : a)),
  namedAddressField,
);

const list = z.optional(z.array(mailAddress).check(z.maxLength(SEND_TEXT_LIMITS.maxListed, `must list at most ${SEND_TEXT_LIMITS.maxListed} addresses`)));
const agentId = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be an agent id'));
const requestId = z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,128}$/, "must be 1-128 letters, digits, '.', '_', ':' or '-'"));
const body = z.optional(z.string().check(z.maxLength(SEND_TEXT_LIMITS.maxBodyChars, `must be at most ${SEND_TEXT_LIMITS.maxBodyChars} characters`)));
const uploadIds = z.optional(z.array(z.string().check(z.regex(/^u-[0-9a-f]{32}$/, 'must be an upload id from POST /uploads'))).check(z.maxLength(SEND_TEXT_LIMITS.maxAttachments, `at most ${SEND_TEXT_LIMITS.maxAttachments} attachments`)));

/** `POST /interactions/:id/reply`. */
export const replyBody = z.strictObject({
  // Absent: the signed-in user (routes/outbound.ts); an agent may name only itself.
  agentId: z.optional(agentId),
  mode: z._default(z.enum(['reply', 'reply-all', 'forward']), 'reply'),
  to: list,
  cc: list,
  bcc: list,
  subject: z.optional(headerTextField(SEND_TEXT_LIMITS.maxSubjectChars)),
  text: body,
  html: body,
  attachments: uploadIds,
  requestId: z.optional(requestId),
});

/** `POST /send`: a new e-mail (`text`/`html`), or a notification from a stored template with variables. */
export const sendBody = z.strictObject({
  agentId: z.optional(agentId),
  from: mailAddress,
  to: z.array(mailAddress).check(z.minLength(1, 'must list at least one recipient'), z.maxLength(SEND_TEXT_LIMITS.maxListed, `must list at most ${SEND_TEXT_LIMITS.maxListed} addresses`)),
  cc: list,
  bcc: list,
  subject: z.optional(headerTextField(SEND_TEXT_LIMITS.maxSubjectChars)),
  text: body,
  html: body,
  attachments: uploadIds,
  template: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a template id'))),
  variables: z.optional(
    z.partialRecord(z.enum(TEMPLATE_PLACEHOLDERS, { error: `variables must be among ${TEMPLATE_PLACEHOLDERS.join(', ')}` }), headerTextField()),
  ),
  requestId: z.optional(requestId),
});

/** `POST /uploads`: what will be uploaded. */
export const uploadBody = z.strictObject({
  filename: headerTextField(MAX_UPLOAD_NAME_CHARS).check(z.minLength(1, 'must not be empty')),
  contentType: z.string().check(z.regex(/^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i, 'must be a media type such as application/pdf')),
  size: z.int().check(z.gte(0, 'must be 0 or more bytes'), z.lte(MAIL_LIMITS.maxMessageBytes, `must be at most ${MAIL_LIMITS.maxMessageBytes} bytes (40 MB per message)`)),
});

/** `GET /outbox` query. */
export const outboxQuery = z.object({
  state: z.optional(z.enum(['pending', 'sending', 'sent', 'failed', 'uncertain'])),
  interaction: z.optional(z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,128}$/))),
});
