/**
 * Interaction routes: one interaction with everything an agent or admin needs to see.
 */
import { Hono } from 'hono';
import { NotFoundError } from '../../../core/errors.ts';
import { ERROR_REASONS } from '../../../core/error-reasons.ts';
import type { ApiDeps } from '../deps.ts';
import { idParams } from '../params.ts';
import { interactionView } from '../views.ts';
import { parseParams } from '../validation.ts';
import type { OutboxTransitions } from '../../../core/outbound/outbound-ports.ts';
import { outboxIdFor, type OutboxRecord } from '../../../core/outbound/outbox.ts';
import type { ReplyRecord } from '../../../core/routing/routing-ports.ts';

/**
 * What the interaction sent and how it went (issue 11 item 2: a failure is visible on the
 * interaction): its acknowledgement and every reply sent through the outbox, each read by its id
 * (the replies name theirs; the acknowledgement's derives from the interaction), oldest first.
 */
async function outboxOf(outbox: Pick<OutboxTransitions, 'get'>, interactionId: string, replies: readonly ReplyRecord[]) {
  const ids = [outboxIdFor(interactionId, 'auto-acknowledgement'), ...replies.flatMap((r) => (r.direction === 'out' && r.outboxId ? [r.outboxId] : []))];
  const records = await Promise.all([...new Set(ids)].map((oid) => outbox.get(oid)));
  return records
    .filter((r): r is OutboxRecord => r !== undefined)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((r) => ({
      id: r.id, purpose: r.purpose, state: r.state, subject: r.subject, createdAt: r.createdAt,
      ...(r.sentAt && { sentAt: r.sentAt }), ...(r.route && { route: r.route.kind }), ...(r.failure && { failure: r.failure }), ...(r.delivery?.length && { delivery: r.delivery }),
    }));
}

/** `GET /interactions/:id`: the interaction, its conversation and what it sent. */
export function interactionRoutes(deps: ApiDeps): Hono {
  const routes = new Hono();

  routes.get('/interactions/:id', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    const interaction = await deps.interactions.get(id);
    if (!interaction) throw new NotFoundError(ERROR_REASONS.interactionNotFound, 'interaction', id);
    const replies = deps.conversations && interaction.replyCount ? await deps.conversations.listReplies(id) : [];
    const outbox = deps.outbound ? await outboxOf(deps.outbound.outbox, id, replies) : undefined;
    return c.json({ interaction: interactionView(interaction, deps.now()), replies, ...(outbox && { outbox }) });
  });

  return routes;
}
