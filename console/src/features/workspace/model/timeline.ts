/**
 * The conversation as one timeline (issue 12 item 2): the customer's first mail, every further
 * message (the customer's, and the agents' replies with their outbox state and delivery events),
 * the acknowledgement, and the routing trail, oldest first.
 */
import type { DeliveryEvent, InteractionDetail, OutboxSummary } from '../api/types.ts';

export type TimelineItem =
  | { readonly kind: 'customer'; readonly at: string; readonly from: string; readonly subject: string; readonly preview: string; readonly attachments: number; readonly first: boolean }
  | {
      readonly kind: 'sent';
      readonly at: string;
      readonly purpose: OutboxSummary['purpose'];
      readonly subject: string;
      readonly state?: OutboxSummary['state'];
      readonly route?: string;
      readonly failure?: string;
      readonly delivery: readonly DeliveryEvent[];
      readonly preview?: string;
    }
  | { readonly kind: 'trail'; readonly at: string; readonly step: string; readonly detail: string };

/** The items of one interaction, oldest first (items at the same time keep this order: mail, sent, trail). */
export function buildTimeline(detail: InteractionDetail): TimelineItem[] {
  const { interaction, replies } = detail;
  const outbox = new Map((detail.outbox ?? []).map((o) => [o.id, o]));
  const items: TimelineItem[] = [];
  const m = interaction.message;
  items.push({ kind: 'customer', at: m.receivedAt, from: show(m.from, m.mailFrom), subject: m.subject, preview: m.textPreview, attachments: m.attachments.length, first: true });
  const listed = new Set<string>();
  for (const r of replies) {
    if (r.direction === 'out') {
      const o = r.outboxId ? outbox.get(r.outboxId) : undefined;
      if (o) listed.add(o.id);
      items.push(sentItem(o, r.receivedAt, r.subject, r.textPreview));
    } else {
      items.push({ kind: 'customer', at: r.receivedAt, from: show(r.from, r.mailFrom), subject: r.subject, preview: r.textPreview, attachments: r.attachments.length, first: false });
    }
  }
  for (const o of outbox.values()) if (!listed.has(o.id)) items.push(sentItem(o, o.createdAt, o.subject));
  for (const t of interaction.trail) items.push({ kind: 'trail', at: t.at, step: t.step, detail: t.detail });
  const rank = { customer: 0, sent: 1, trail: 2 } as const;
  return items.map((item, i) => ({ item, i })).sort((a, b) => a.item.at.localeCompare(b.item.at) || rank[a.item.kind] - rank[b.item.kind] || a.i - b.i).map((x) => x.item);
}

function sentItem(o: OutboxSummary | undefined, at: string, subject: string, preview?: string): TimelineItem {
  return {
    kind: 'sent',
    at: o?.createdAt ?? at,
    purpose: o?.purpose ?? 'reply',
    subject: o?.subject ?? subject,
    ...(o && { state: o.state }),
    ...(o?.route && { route: o.route }),
    ...(o?.failure && { failure: `${o.failure.reason}: ${o.failure.detail}` }),
    delivery: o?.delivery ?? [],
    ...(preview !== undefined && { preview }),
  };
}

function show(from: { address: string; name?: string } | undefined, mailFrom: string): string {
  if (!from) return mailFrom;
  return from.name ? `${from.name} <${from.address}>` : from.address;
}
