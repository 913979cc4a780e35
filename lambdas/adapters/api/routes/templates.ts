/**
 * Stored auto-acknowledgement templates: `PUT` creates or replaces one, `GET` lists or shows,
 * `DELETE` removes one no flow's current version names. The body's shape is checked here; its
 * rules (one-line subject, known placeholders, lengths) by core (ack-template.ts).
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { ConflictError, NotFoundError } from '../../../core/errors.ts';
import { ERROR_REASONS } from '../../../core/error-reasons.ts';
import { assertValidAckTemplate, referencedTemplates, type StoredAckTemplate } from '../../../core/routing/ack-template.ts';
import { FLOW_LIMITS } from '../../../core/routing/flow.ts';
import type { ApiDeps, RoutingConfigDeps } from '../deps.ts';
import { templateBody } from './routing-schemas.ts';
import { jsonBody, parseBody, parseParams } from '../validation.ts';

const templateParams = z.object({
  id: z.string().check(z.regex(new RegExp(`^[A-Za-z0-9._:-]{1,${FLOW_LIMITS.maxIdChars}}$`), `must be 1-${FLOW_LIMITS.maxIdChars} letters, digits, '.', '_', ':' or '-'`)),
});

/** `PUT|GET|DELETE /templates/:id`, `GET /templates`. */
export function templateRoutes(config: RoutingConfigDeps, deps: Pick<ApiDeps, 'now'>): Hono {
  const routes = new Hono();

  routes.put('/templates/:id', async (c) => {
    const { id } = parseParams(templateParams, c.req.param());
    const input = parseBody(templateBody, await jsonBody(c.req));
    assertValidAckTemplate(input);
    const now = deps.now().toISOString();
    const existing = await config.templates.get(id);
    const template: StoredAckTemplate = { id, ...input, createdAt: existing?.createdAt ?? now, updatedAt: now };
    const outcome = await config.templates.put(template);
    return c.json({ template }, outcome === 'created' ? 201 : 200);
  });

  routes.get('/templates', async (c) => c.json({ templates: await config.templates.list() }));

  routes.get('/templates/:id', async (c) => {
    const { id } = parseParams(templateParams, c.req.param());
    const template = await config.templates.get(id);
    if (!template) throw new NotFoundError(ERROR_REASONS.templateNotFound, 'template', id);
    return c.json({ template });
  });

  routes.delete('/templates/:id', async (c) => {
    const { id } = parseParams(templateParams, c.req.param());
    const users = await flowsUsing(config, id);
    if (users.length) throw new ConflictError(ERROR_REASONS.templateInUse, `template ${id} is in use by flow ${users.join(', ')}`);
    if (!(await config.templates.delete(id))) throw new NotFoundError(ERROR_REASONS.templateNotFound, 'template', id);
    return c.body(null, 204);
  });

  return routes;
}

/**
 * The flows whose current version names template `id`. Why only current versions: older ones are
 * history, never evaluated; putting one back is a new version, validated against the templates then.
 */
async function flowsUsing(config: RoutingConfigDeps, id: string): Promise<string[]> {
  const flows = await config.flows.list();
  const current = await Promise.all(flows.map((f) => config.flows.getVersion(f.id, f.version)));
  return current.filter((v) => v !== undefined && referencedTemplates(v.definition.rules).includes(id)).map((v) => v!.id);
}
