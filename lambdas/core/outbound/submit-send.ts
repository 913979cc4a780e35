/**
 * Puts a composed send into the outbox (issue 11 item 1; decision 8): refuse what cannot be sent
 * before anything is written (a suppressed recipient, no route for the sender), move large bodies
 * to storage (claim check), enqueue once per request id, tell the sender, and let the message join
 * its interaction's conversation and trail so the customer's answer threads by In-Reply-To.
 *
 * Every step is repeatable: a client retrying with the same request id finds the record, the
 * conversation join is idempotent per transport key, and a second notification finds the record
 * sent or sending. So a crash anywhere is repaired by the client's retry.
 */
import { ERROR_REASONS } from '../error-reasons.ts';
import type { TrailEntry } from '../interaction.ts';
import { cutText } from '../item-bounds.ts';
import { ITEM_LIMITS, MAIL_LIMITS } from '../limits.ts';
import type { BlobRef, MailAddress } from '../message.ts';
import type { ConversationStore, ReplyRecord } from '../routing/routing-ports.ts';
import type { ThreadIndex } from '../routing/thread-ports.ts';
import { normalizeMessageId } from '../routing/threading.ts';
import type { SendIssue } from './compose-request.ts';
import type { OutboundNotifier, SendingDomainCheck, SmtpIntegration, SuppressionList } from './outbound-ports.ts';
import { envelopeRecipients, fromAddressOf, type NewOutboxRecord, type OutboxRecord, type OutboxStore } from './outbox.ts';
import { chooseRoute } from './route-choice.ts';

/** Bodies kept on the outbox record up to this size each; larger ones go to storage (the item stays far below 400 KB). */
export const MAX_INLINE_BODY_BYTES = 64 * 1024;

/** Where large bodies are stored. */
export interface OutboundBodyStore {
  putBody(outboxId: string, part: 'text' | 'html', body: string): Promise<BlobRef>;
}

/** What {@link submitSend} works with: core's ports. */
export interface SubmitSendDeps {
  readonly outbox: OutboxStore;
  readonly notifier: OutboundNotifier;
  readonly suppressions: SuppressionList;
  readonly sendingDomains: SendingDomainCheck;
  /** The SMTP integrations (enabled or not), as SmtpIntegrationDirectory.list answers. */
  readonly integrations: () => Promise<readonly SmtpIntegration[]>;
  readonly bodies: OutboundBodyStore;
  readonly threads: Pick<ThreadIndex, 'record'>;
  readonly conversations: ConversationStore;
  /** The mail bucket: the composed message will be at `outbound/<id>.eml` there (the conversation points at it). */
  readonly mailBucket: string;
}

/** Enqueued now, found enqueued by an earlier try of the same request, or refused with field issues. */
export type SubmitOutcome =
  | { readonly kind: 'enqueued' | 'exists'; readonly record: OutboxRecord }
  | { readonly kind: 'refused'; readonly issues: readonly SendIssue[] };

/** Submits `record` (from composeReply or composeNewMail); see the module comment for the steps. */
export async function submitSend(record: NewOutboxRecord, deps: SubmitSendDeps, now: Date): Promise<SubmitOutcome> {
  const earlier = await deps.outbox.get(record.id);
  if (earlier) return { kind: 'exists', record: await announce(earlier, deps, now) };
  const issues = await refusals(record, deps);
  if (issues.length) return { kind: 'refused', issues };
  const stored = await withStoredBodies(record, deps.bodies);
  const outcome = await deps.outbox.enqueue(stored, now);
  const current = outcome === 'enqueued' ? { ...stored, state: 'pending' as const, createdAt: now.toISOString() } : ((await deps.outbox.get(record.id)) ?? { ...stored, state: 'pending' as const, createdAt: now.toISOString() });
  return { kind: outcome, record: await announce(current, deps, now) };
}

/**
 * Why `record` may not be sent, per field: suppressed recipients (the address's fixed BCC is
 * reported on `from`, whose route adds it), and no route for its From address.
 */
export async function refusals(record: NewOutboxRecord, deps: Pick<SubmitSendDeps, 'suppressions' | 'sendingDomains' | 'integrations'>): Promise<SendIssue[]> {
  const issues: SendIssue[] = [];
  const suppressed = new Map((await deps.suppressions.find(envelopeRecipients(record))).map((s) => [s.address.toLowerCase(), s]));
  const fields: [string, readonly (MailAddress | string)[] | undefined][] = [['to', record.to], ['cc', record.cc], ['bcc', record.bcc], ['from', record.hiddenBcc]];
  for (const [field, list] of fields) {
    const hits = (list ?? []).map((a) => (typeof a === 'string' ? a : a.address).toLowerCase()).filter((a) => suppressed.has(a));
    if (hits.length === 0) continue;
    const why = hits.map((a) => `${a} (${suppressed.get(a)!.reason})`).join(', ');
    const fixed = field === 'from' ? "the address's fixed BCC " : '';
    issues.push({ field, reason: ERROR_REASONS.outboundRecipientSuppressed, message: `${fixed}${why} ${hits.length === 1 ? 'is' : 'are'} suppressed; an admin can lift it` });
  }
  const from = fromAddressOf(record).toLowerCase();
  const route = chooseRoute(from, record.purpose, {
    sesVerified: await deps.sendingDomains.isVerifiedForSending(from.slice(from.lastIndexOf('@') + 1)),
    // All of them: chooseRoute sends only through enabled ones, and names a disabled one that owns the address.
    integrations: await deps.integrations(),
  });
  if (route.kind === 'none') {
    const reason = route.reason === 'sender-not-allowed' ? ERROR_REASONS.outboundSenderNotAllowed : ERROR_REASONS.outboundNoRouteForSender;
    issues.push({ field: 'from', reason, message: route.detail });
  }
  return issues;
}

/** Bodies over {@link MAX_INLINE_BODY_BYTES} in storage: the text keeps a preview on the record. */
async function withStoredBodies(record: NewOutboxRecord, bodies: OutboundBodyStore): Promise<NewOutboxRecord> {
  const large = (s: string | undefined): s is string => s !== undefined && new TextEncoder().encode(s).length > MAX_INLINE_BODY_BYTES;
  let out = record;
  if (large(record.text)) out = { ...out, text: record.text.slice(0, MAIL_LIMITS.maxPreviewChars), textBlob: await bodies.putBody(record.id, 'text', record.text) };
  if (large(record.html)) {
    const { html: _html, ...rest } = out;
    out = { ...rest, htmlBlob: await bodies.putBody(record.id, 'html', record.html) };
  }
  return out;
}

/** Joins the conversation (a reply of an interaction) and tells the sender; the record as it is. */
async function announce(record: OutboxRecord, deps: SubmitSendDeps, now: Date): Promise<OutboxRecord> {
  if (record.interactionId) await joinConversation(record, record.interactionId, deps, now);
  if (record.state === 'pending') await deps.notifier.notify([record.id]);
  return record;
}

/**
 * The sent message as an outgoing reply of its interaction (idempotent per transport key), a
 * trail line, and its Message-ID in the thread index: the customer's answer joins by In-Reply-To.
 */
async function joinConversation(record: OutboxRecord, interactionId: string, deps: SubmitSendDeps, now: Date): Promise<void> {
  const from = typeof record.from === 'string' ? { address: record.from } : record.from;
  const to = envelopeRecipients({ to: record.to, ...(record.cc && { cc: record.cc }) });
  const reply: ReplyRecord = {
    transportKey: `out-${record.id}`,
    receivedAt: record.createdAt,
    mailFrom: from.address,
    from,
    subject: record.subject,
    messageId: record.messageId,
    textPreview: (record.text ?? '').slice(0, MAIL_LIMITS.maxPreviewChars),
    attachments: (record.attachments ?? []).slice(0, ITEM_LIMITS.maxAttachmentsOnItem).map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size, inline: false, blob: a.blob })),
    ...((record.attachments?.length ?? 0) > ITEM_LIMITS.maxAttachmentsOnItem && { attachmentCount: record.attachments!.length }),
    // Nothing to judge: we wrote it.
    verdicts: { spam: 'DISABLED', virus: 'DISABLED', spf: 'DISABLED', dkim: 'DISABLED', dmarc: 'DISABLED' },
    raw: { bucket: deps.mailBucket, key: `outbound/${record.id}.eml` },
    direction: 'out',
    outboxId: record.id,
  };
  const trail: TrailEntry = {
    at: record.createdAt,
    step: record.purpose,
    detail: cutText(`${record.id} by ${record.requestedBy ?? '-'} to ${to.join(', ')}: "${record.subject}"`, ITEM_LIMITS.maxTrailDetailChars),
  };
  await deps.conversations.attach(interactionId, reply, [trail], now);
  const messageId = normalizeMessageId(record.messageId);
  if (messageId) await deps.threads.record(messageId, interactionId, '', now, 'out');
}
