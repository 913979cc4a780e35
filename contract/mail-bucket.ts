/**
 * The key prefixes of the mail bucket. The stack grants each function access by prefix, so the
 * prefixes the Lambdas write and read under must be the very ones the grants name.
 */

/** Where SES (and the local SES stand-in) stores each received message. */
export const RAW_MAIL_PREFIX = 'inbound/';
/** Where routing stores the decoded parts of a message, one folder per interaction. */
export const PARTS_PREFIX = 'parts/';
/** Where large dead-letter bodies are kept (claim check; the dead-letter item keeps the key). */
export const DEAD_LETTER_PREFIX = 'dead-letters/';
/**
 * Where the IMAP/POP3 pollers store each fetched message, keyed by its transport identity
 * (`polled/<serverId>/imap/<UIDVALIDITY>/<UID>`, `polled/<serverId>/pop3/<UIDL in hex>`),
 * with the receipt in the object's user metadata so the reconciler can re-enqueue it.
 */
export const POLLED_MAIL_PREFIX = 'polled/';
/** Where attachments of messages to send are uploaded first (presigned PUT), `uploads/<uploadId>`. */
export const UPLOADS_PREFIX = 'uploads/';
/** Where the sender keeps large bodies (`outbound/<id>/text`, `.../html`) and the composed MIME (`outbound/<id>.eml`). */
export const OUTBOUND_PREFIX = 'outbound/';
