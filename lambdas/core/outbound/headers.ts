/**
 * The threading headers of what Postroom sends (RFC 5322 3.6.4): In-Reply-To and References built
 * only from Message-IDs that are safe in a header. Message-IDs come from customers' mail, so each
 * is checked here before it can reach an outgoing header (header injection).
 */

/** References kept on a reply: the newest ones, as mail clients cap them too. */
export const MAX_OUTGOING_REFERENCES = 20;

/**
 * A Message-ID as it may go into a header of our reply, `<id>`, case kept; undefined for anything
 * with whitespace, control characters or brackets inside (header injection), or overlong.
 */
export function headerSafeMessageId(raw: string | undefined): string | undefined {
  const id = raw?.trim().replace(/^<|>$/g, '');
  if (!id || id.length > 996 || /[\s<>\u0000-\u001f\u007f]/.test(id)) return undefined;
  return `<${id}>`;
}

/**
 * The References of a reply to a message with `references` and the (header-safe) Message-ID
 * `inReplyTo`: the message's own references that are safe, then the message itself, the newest
 * {@link MAX_OUTGOING_REFERENCES}.
 */
export function replyReferences(references: readonly string[], inReplyTo: string | undefined): string[] {
  const safe = references.map(headerSafeMessageId).filter((x): x is string => x !== undefined);
  return [...safe, ...(inReplyTo ? [inReplyTo] : [])].slice(-MAX_OUTGOING_REFERENCES);
}
