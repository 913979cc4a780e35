/**
 * The text of `postroom outbox list|show`: what was sent, to whom, its state and why (route,
 * failure, delivery events). An uncertain record says plainly that it may or may not have gone out.
 */
import type { outboxView } from '../../adapters/api/routes/outbound.ts';
import { formatAddress, formatTable, printable, truncate } from '../format.ts';

/** An outbox record as the API answers it (no hidden BCC). */
export type OutboxJson = ReturnType<typeof outboxView>;

/** The subject column's width in a list. */
const SUBJECT_COLUMNS = 40;

const address = (a: OutboxJson['to'][number] | OutboxJson['from']) => (typeof a === 'string' ? printable(a) : formatAddress(a));

/** One row per record, or a line saying there are none. */
export function formatOutboxList(records: readonly OutboxJson[]): string {
  if (records.length === 0) return 'No outbox records.\n';
  const rows = records.map((r) => [r.id, r.state, r.purpose, r.createdAt, r.to.map(address).join(', '), truncate(printable(r.subject), SUBJECT_COLUMNS)]);
  return `${formatTable(['id', 'state', 'purpose', 'created', 'to', 'subject'], rows)}\n`;
}

/** Everything about one record. */
export function formatOutbox(r: OutboxJson): string {
  const lines = [`Outbox ${r.id} (${r.state})`];
  if (r.state === 'uncertain') lines.push('  The sender stopped mid-send: it may or may not have gone out. It is never sent again by itself; `postroom outbox resend` sends it with the same Message-ID.');
  const field = (name: string, value: string | undefined) => value !== undefined && value !== '' && lines.push(`  ${`${name}:`.padEnd(13)} ${value}`);
  field('Purpose', r.purpose);
  field('Interaction', r.interactionId);
  field('Requested by', r.requestedBy);
  field('From', address(r.from));
  field('To', r.to.map(address).join(', '));
  field('Cc', r.cc?.map(address).join(', '));
  field('Bcc', r.bcc?.map(address).join(', '));
  field('Reply-To', r.replyTo && address(r.replyTo));
  field('Subject', printable(r.subject));
  field('Message-ID', r.messageId);
  field('In-Reply-To', r.inReplyTo);
  field('Attachments', r.attachments?.map((a) => `${printable(a.filename)} (${a.contentType}, ${a.size} bytes)`).join(', '));
  field('Created', r.createdAt);
  field('Attempts', r.attempts !== undefined ? String(r.attempts) : undefined);
  field('Route', r.route && `${r.route.kind === 'ses' ? `SES ${r.route.identity}` : `SMTP server ${r.route.serverId}`}: ${printable(r.route.reason)}`);
  field('Held by', r.heldBy && `SMTP server ${r.heldBy} (in error; sent once it is fixed)`);
  field('Sent', r.sentAt && `${r.sentAt}${r.providerMessageId ? ` as ${r.providerMessageId}` : ''}`);
  field('Failure', r.failure && `${r.failure.reason}: ${printable(r.failure.detail)} (${r.failure.at})`);
  for (const d of r.delivery ?? []) lines.push(`  ${d.at}  ${d.status}  ${printable(d.recipient)}  ${printable(d.detail)}`);
  return lines.join('\n');
}
