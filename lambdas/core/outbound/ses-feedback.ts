/**
 * SES sending events as EventBridge delivers them (issue 11 item 4), read into the outbox's delivery
 * events and the suppressions they imply. Postroom's configuration set publishes them to the
 * default bus with `detail-type` "Email Bounced", "Email Complaint Received", "Email Delivered",
 * "Email Delivery Delayed", "Email Rejected" or "Email Rendering Failed"; `detail` is the SES event
 * record (`eventType`, `mail` with the tags of the send, and one object per type).
 *
 * Rule: permanent bounces and complaints suppress the recipient (sending to them again harms the
 * sender's reputation, SES's own guidance); transient and undetermined bounces, delays and rejects
 * are recorded on the outbox record only. A complaint of type `not-spam` does not suppress.
 */
import { SES_FEEDBACK_DETAIL_TYPES } from '../../../contract/ses-feedback.ts';
import { MalformedEventError } from '../errors.ts';
import type { OutboxTransitions, Suppression, SuppressionList } from './outbound-ports.ts';
import type { DeliveryEvent } from './outbox.ts';

/** The EmailTags the SES transport sets on every send, read back from `mail.tags`. */
export const SES_TAGS = { outbox: 'outbox', interaction: 'interaction' } as const;

export const SES_FEEDBACK_LIMITS = {
  /** SES sends to at most 50 recipients per message; a longer list in an event is not SES's. */
  maxRecipients: 100,
  /** Diagnostic codes are remote servers' words: kept short on the record and in the suppression. */
  maxDetailChars: 500,
} as const;

/** What one SES event means for Postroom. */
export type SesFeedback =
  /** `outboxId` names the record; events go on it, suppressions on the list. */
  | { readonly kind: 'feedback'; readonly outboxId: string; readonly events: DeliveryEvent[]; readonly suppressions: Suppression[] }
  /** Not a send of the outbox (no `outbox` tag) or a type Postroom does not track (opens, clicks). */
  | { readonly kind: 'ignored'; readonly reason: string };

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const clip = (s: string): string => (s.length > SES_FEEDBACK_LIMITS.maxDetailChars ? `${s.slice(0, SES_FEEDBACK_LIMITS.maxDetailChars - 1)}…` : s);

/** The bare address of `"Name" <a@b>` or `a@b`, lower-cased (suppressions compare that way). */
function bareAddress(v: unknown): string | undefined {
  const s = str(v);
  if (!s) return undefined;
  const angle = /<([^<>]+)>\s*$/.exec(s);
  return (angle ? angle[1]! : s).trim().toLowerCase();
}

/** The first value of tag `name` (SES gives each tag as a list of values). */
function tagOf(mail: Obj, name: string): string | undefined {
  const tags = mail.tags;
  if (!isObj(tags)) return undefined;
  const values = tags[name];
  return Array.isArray(values) ? str(values[0]) : str(values);
}

function recipientsOf(list: unknown, field: string): { address: string; item: Obj }[] {
  if (!Array.isArray(list)) return [];
  if (list.length > SES_FEEDBACK_LIMITS.maxRecipients) throw new MalformedEventError(`SES event lists ${list.length} recipients in ${field}`);
  return list.flatMap((item) => {
    const address = bareAddress(isObj(item) ? item.emailAddress : item);
    return address ? [{ address, item: isObj(item) ? item : {} }] : [];
  });
}

/**
 * Reads one EventBridge event of SES (the whole event: `detail-type`, `detail`). Types outside
 * {@link SES_FEEDBACK_DETAIL_TYPES} and sends without the outbox tag are `ignored`.
 * @throws MalformedEventError when a tracked event lacks the fields SES always sends
 */
export function readSesFeedback(event: unknown): SesFeedback {
  if (!isObj(event) || !isObj(event.detail)) throw new MalformedEventError('not an EventBridge event with a detail');
  const detailType = str(event['detail-type']) ?? '';
  if (!(SES_FEEDBACK_DETAIL_TYPES as readonly string[]).includes(detailType)) return { kind: 'ignored', reason: `detail-type ${detailType || '(none)'}` };
  const detail = event.detail;
  if (!isObj(detail.mail)) throw new MalformedEventError(`SES event ${detailType} without mail`);
  const mail = detail.mail;
  const outboxId = tagOf(mail, SES_TAGS.outbox);
  if (!outboxId) return { kind: 'ignored', reason: 'no outbox tag' };
  const fallbackAt = str(mail.timestamp) ?? str(event.time) ?? new Date(0).toISOString();
  const read = READERS[detailType]!;
  const { events, suppressions } = read(detail, mail, fallbackAt, outboxId);
  return { kind: 'feedback', outboxId, events, suppressions };
}

/** What {@link applySesFeedback} writes to. */
export interface SesFeedbackDeps {
  readonly outbox: Pick<OutboxTransitions, 'recordDelivery'>;
  readonly suppressions: Pick<SuppressionList, 'add'>;
}

/**
 * Reads one SES event ({@link readSesFeedback}) and writes what it means: suppressions first (why:
 * refusing the next send to a bad address matters more than the record's history), then the
 * delivery events on the outbox record. Both writes are idempotent, so a redelivered event is safe.
 * @returns what was read, for the handler's log
 */
export async function applySesFeedback(event: unknown, deps: SesFeedbackDeps): Promise<SesFeedback> {
  const feedback = readSesFeedback(event);
  if (feedback.kind === 'ignored') return feedback;
  for (const suppression of feedback.suppressions) await deps.suppressions.add(suppression);
  for (const delivery of feedback.events) await deps.outbox.recordDelivery(feedback.outboxId, delivery);
  return feedback;
}

type Reader = (detail: Obj, mail: Obj, fallbackAt: string, outboxId: string) => { events: DeliveryEvent[]; suppressions: Suppression[] };

function part(detail: Obj, name: string, detailType: string): Obj {
  const value = detail[name];
  if (!isObj(value)) throw new MalformedEventError(`SES event ${detailType} without ${name}`);
  return value;
}

const bounced: Reader = (detail, _mail, fallbackAt, outboxId) => {
  const bounce = part(detail, 'bounce', 'Email Bounced');
  const at = str(bounce.timestamp) ?? fallbackAt;
  const type = str(bounce.bounceType) ?? 'Undetermined';
  const kind = `${type}/${str(bounce.bounceSubType) ?? 'General'}`;
  const events: DeliveryEvent[] = [];
  const suppressions: Suppression[] = [];
  for (const { address, item } of recipientsOf(bounce.bouncedRecipients, 'bouncedRecipients')) {
    const words = clip([kind, str(item.status), str(item.diagnosticCode)].filter(Boolean).join(': '));
    events.push({ recipient: address, status: 'bounced', at, detail: words });
    if (type === 'Permanent') suppressions.push({ address, reason: 'bounce', detail: words, at, outboxId });
  }
  return { events, suppressions };
};

const complained: Reader = (detail, _mail, fallbackAt, outboxId) => {
  const complaint = part(detail, 'complaint', 'Email Complaint Received');
  const at = str(complaint.timestamp) ?? fallbackAt;
  const feedbackType = str(complaint.complaintFeedbackType);
  const words = clip(`complaint${feedbackType ? `: ${feedbackType}` : ''}`);
  const recipients = recipientsOf(complaint.complainedRecipients, 'complainedRecipients');
  return {
    events: recipients.map(({ address }) => ({ recipient: address, status: 'complained' as const, at, detail: words })),
    suppressions: feedbackType === 'not-spam' ? [] : recipients.map(({ address }) => ({ address, reason: 'complaint' as const, detail: words, at, outboxId })),
  };
};

const delivered: Reader = (detail, _mail, fallbackAt) => {
  const delivery = part(detail, 'delivery', 'Email Delivered');
  const at = str(delivery.timestamp) ?? fallbackAt;
  const words = clip(str(delivery.smtpResponse) ?? 'delivered');
  return { events: recipientsOf(delivery.recipients, 'recipients').map(({ address }) => ({ recipient: address, status: 'delivered' as const, at, detail: words })), suppressions: [] };
};

const delayed: Reader = (detail, _mail, fallbackAt) => {
  const delay = part(detail, 'deliveryDelay', 'Email Delivery Delayed');
  const at = str(delay.timestamp) ?? fallbackAt;
  const type = str(delay.delayType) ?? 'General';
  const events = recipientsOf(delay.delayedRecipients, 'delayedRecipients').map(({ address, item }) => ({
    recipient: address,
    status: 'delayed' as const,
    at,
    detail: clip([type, str(item.status), str(item.diagnosticCode)].filter(Boolean).join(': ')),
  }));
  return { events, suppressions: [] };
};

/** A reject or rendering failure concerns the whole message: one event per destination. */
function wholeMessage(name: 'reject' | 'renderingFailure', detailType: string, words: (o: Obj) => string): Reader {
  return (detail, mail, fallbackAt) => {
    const o = part(detail, name, detailType);
    const text = clip(words(o));
    const events = recipientsOf(mail.destination, 'destination').map(({ address }) => ({ recipient: address, status: 'rejected' as const, at: fallbackAt, detail: text }));
    return { events, suppressions: [] };
  };
}

const READERS: Readonly<Record<string, Reader>> = {
  'Email Bounced': bounced,
  'Email Complaint Received': complained,
  'Email Delivered': delivered,
  'Email Delivery Delayed': delayed,
  'Email Rejected': wholeMessage('reject', 'Email Rejected', (o) => `rejected by SES: ${str(o.reason) ?? 'no reason given'}`),
  'Email Rendering Failed': wholeMessage('renderingFailure', 'Email Rendering Failed', (o) => `rendering failed: ${str(o.errorMessage) ?? 'no message given'}`),
};
