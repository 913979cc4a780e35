/**
 * Bounces on the SMTP path (issue 11 item 5; SPEC OUT-6): mail that comes back to a VERP return
 * path (verp.ts) is about an outbox record, never a customer's message, so it opens no interaction.
 * Ingest hands it here first: its RFC 3464 report (dsn.ts) becomes delivery events on the record,
 * hard-bounced recipients go on the suppression list, and the mail is kept set aside with the
 * reason `bounce` and what it said, like the automatic mail routing sets aside (decide-route.ts).
 */
import type { TrailEntry } from '../interaction.ts';
import type { BlobRef, InboundMessage } from '../message.ts';
import { DSN_LIMITS, dsnDeliveryEvents, isHardBounce, parseDeliveryStatus } from './dsn.ts';
import type { OutboxTransitions, SuppressionList } from './outbound-ports.ts';
import { parseVerpAddress } from './verp.ts';

/** The parts that carry an RFC 3464 report (RFC 6533 adds the internationalized one). */
const DSN_PART_TYPES: ReadonlySet<string> = new Set(['message/delivery-status', 'message/global-delivery-status']);

export interface VerpBounceDeps {
  /** The deployment's bounce domain: VERP addresses live there (it must be a served domain to reach ingest). */
  readonly returnPathDomain: string;
  readonly outbox: Pick<OutboxTransitions, 'recordDelivery'>;
  readonly suppressions: Pick<SuppressionList, 'add'>;
  /** At most `maxBytes` of a stored part, as UTF-8 text. */
  readonly readPart: (blob: BlobRef, maxBytes: number) => Promise<string>;
}

/** A bounce absorbed: set it aside with this reason, detail and trail. */
export interface AbsorbedBounce {
  readonly kind: 'set-aside';
  readonly reason: 'bounce';
  readonly detail: string;
  readonly tags: readonly string[];
  readonly trail: readonly TrailEntry[];
  readonly outboxId: string;
}

/** The outbox id of the first recipient that is a VERP address on `domain` (envelope first, then To). */
export function verpOutboxIdOf(message: Pick<InboundMessage, 'recipients' | 'to'>, domain: string): string | undefined {
  for (const address of [...message.recipients, ...message.to.map((a) => a.address)]) {
    const id = parseVerpAddress(address, domain);
    if (id) return id;
  }
  return undefined;
}

/**
 * Absorbs `message` when it is addressed to a VERP address; undefined otherwise (route it as usual).
 * Mail to a VERP address without a report (an RFC 3834 auto-reply goes to the return path too) is
 * set aside with no event: it is about a sent message, and no agent must answer it.
 */
export async function absorbVerpBounce(message: InboundMessage, deps: VerpBounceDeps, now: Date): Promise<AbsorbedBounce | undefined> {
  const outboxId = verpOutboxIdOf(message, deps.returnPathDomain);
  if (!outboxId) return undefined;
  const at = now.toISOString();
  const part = message.attachments.find((a) => a.blob && DSN_PART_TYPES.has(a.contentType.split(';')[0]!.trim().toLowerCase()));
  const report = part?.blob ? parseDeliveryStatus(await deps.readPart(part.blob, DSN_LIMITS.maxPartBytes)) : undefined;
  const events = report ? dsnDeliveryEvents(report, now) : [];
  for (const event of events) await deps.outbox.recordDelivery(outboxId, event);
  const hard = (report?.recipients ?? []).filter(isHardBounce);
  for (const r of hard) {
    await deps.suppressions.add({ address: r.finalRecipient, reason: 'bounce', detail: `${r.status} ${r.diagnosticCode ?? ''}`.trim(), at, outboxId });
  }
  const detail = report
    ? `delivery report for outbox record ${outboxId}: ${events.map((e) => `${e.recipient} ${e.status}`).join(', ') || 'no recipient results'}${hard.length > 0 ? `; suppressed ${hard.map((r) => r.finalRecipient).join(', ')}` : ''}`
    : `mail to the return path of outbox record ${outboxId} without a delivery report`;
  return {
    kind: 'set-aside',
    reason: 'bounce',
    detail,
    tags: [],
    trail: [
      { at, step: 'received', detail: `${message.transport.kind} message for ${message.recipients.join(', ')}` },
      { at, step: 'set-aside', detail: `${detail}; bounces of sent mail never become interactions` },
    ],
    outboxId,
  };
}
