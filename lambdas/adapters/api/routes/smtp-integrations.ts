/**
 * SMTP integrations (issue 11 item 5; SPEC OUT-4, OUT-5): the registry's SMTP servers with their
 * sending settings and state. `GET /smtp-integrations`, `GET /smtp-integrations/:id`,
 * `PUT /smtp-integrations/:id` `{ messagesPerMinute?, preset? }`. The shape is checked here; the
 * rules (1..1000, presets) are core's and answer per field. The state is not set here: it resets
 * when the server is saved with fixed credentials or toggled off and on (`PATCH /servers/:id`).
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { ERROR_REASONS as R } from '../../../core/error-reasons.ts';
import { NotFoundError } from '../../../core/errors.ts';
import type { SmtpIntegrationUpdate } from '../../../core/outbound/smtp-integration.ts';
import type { SmtpIntegrationView } from '../../dynamodb/smtp-integration-store.ts';
import { idParams } from '../params.ts';
import { jsonBody, parseBody, parseParams } from '../validation.ts';

/** What the routes read and write (DynamoSmtpIntegrationStore). */
export interface SmtpIntegrationsApi {
  views(): Promise<SmtpIntegrationView[]>;
  view(serverId: string): Promise<SmtpIntegrationView | undefined>;
  update(serverId: string, update: SmtpIntegrationUpdate): Promise<SmtpIntegrationView | undefined>;
}

const updateBody = z
  .strictObject({
    // Only the type here: the range is core's rule, answered with its reason.
    messagesPerMinute: z.optional(z.number({ error: 'must be a number' })),
    preset: z.optional(z.enum(['microsoft365', 'google-workspace', 'custom'], { error: 'must be microsoft365, google-workspace or custom' })),
  })
  .check(z.refine((b) => b.messagesPerMinute !== undefined || b.preset !== undefined, 'give messagesPerMinute, preset or both'));

/** The routes over `integrations`; a server that is not an SMTP server of the registry answers 404. */
export function smtpIntegrationRoutes(integrations: SmtpIntegrationsApi): Hono {
  const routes = new Hono();
  const found = (id: string, view: SmtpIntegrationView | undefined) => {
    if (!view) throw new NotFoundError(R.smtpIntegrationNotFound, 'SMTP integration', id);
    return view;
  };

  routes.get('/smtp-integrations', async (c) => c.json({ integrations: await integrations.views() }));

  routes.get('/smtp-integrations/:id', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    return c.json({ integration: found(id, await integrations.view(id)) });
  });

  routes.put('/smtp-integrations/:id', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    const body = parseBody(updateBody, await jsonBody(c.req));
    const update: SmtpIntegrationUpdate = { ...(body.messagesPerMinute !== undefined && { messagesPerMinute: body.messagesPerMinute }), ...(body.preset && { preset: body.preset }) };
    return c.json({ integration: found(id, await integrations.update(id, update)) });
  });

  return routes;
}
