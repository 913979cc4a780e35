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

/** `GET /interactions/:id`. */
export function interactionRoutes(deps: ApiDeps): Hono {
  const routes = new Hono();

  routes.get('/interactions/:id', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    const interaction = await deps.interactions.get(id);
    if (!interaction) throw new NotFoundError(ERROR_REASONS.interactionNotFound, 'interaction', id);
    const replies = deps.conversations && interaction.replyCount ? await deps.conversations.listReplies(id) : [];
    return c.json({ interaction: interactionView(interaction, deps.now()), replies });
  });

  return routes;
}
