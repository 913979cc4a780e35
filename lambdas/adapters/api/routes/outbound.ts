/**
 * Sending through the API (issue 11 item 1): `POST /uploads` (a presigned PUT for an attachment),
 * `POST /interactions/:id/reply` (reply, reply-all, forward by the agent holding the claim),
 * `POST /send` (new e-mail, or a notification from a stored template), and the outbox:
 * `GET /outbox`, `GET /outbox/:id`, `POST /outbox/:id/resend`. A send that may not go out is
 * refused before anything is enqueued, with 422 and one issue per field (send-refused).
 */
import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { API_ERROR_CODES, FIELD_ERROR_CODES } from '../../../core/error-codes.ts';
import { ERROR_REASONS, type ErrorReason } from '../../../core/error-reasons.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../core/errors.ts';
import type { Interaction } from '../../../core/interaction.ts';
import { addressesWrittenTo, composeNewMail, composeReply, type ComposedSend, type SendIssue } from '../../../core/outbound/compose-request.ts';
import { outboxIdForRequest, type OutboundAttachment, type OutboxRecord } from '../../../core/outbound/outbox.ts';
import { submitSend } from '../../../core/outbound/submit-send.ts';
import { renderAckTemplate } from '../../../core/routing/template.ts';
import { actingAgentId } from '../../../core/access/agent-scope.ts';
import { actingAgent, callerOf } from '../auth.ts';
import type { ApiDeps, OutboundApiDeps, RoutingConfigDeps } from '../deps.ts';
import { errorBody } from '../errors.ts';
import { idParams, pageQuery } from '../params.ts';
import { jsonBody, parseBody, parseParams } from '../validation.ts';
import { outboxQuery, replyBody, sendBody, uploadBody } from './outbound-schemas.ts';

/** The sending and outbox routes. */
export function outboundRoutes(out: OutboundApiDeps, config: RoutingConfigDeps, deps: Pick<ApiDeps, 'interactions' | 'now'>): Hono {
  const routes = new Hono();
  const submitDeps = { ...out, integrations: () => out.integrations.list(), bodies: out.files };

  routes.post('/uploads', async (c) => {
    const body = parseBody(uploadBody, await jsonBody(c.req));
    return c.json({ upload: await out.files.presignUpload(body) }, 201);
  });

  routes.post('/interactions/:id/reply', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    const b = parseBody(replyBody, await jsonBody(c.req));
    if (b.text === undefined && b.html === undefined && b.mode !== 'forward') throw bodyRequired();
    const agentId = actingAgent(c, b.agentId);
    const earlier = await retried(out, agentId, b.requestId);
    if (earlier) return submitted(c, { kind: 'ok', record: earlier }, submitDeps, deps.now());
    const interaction = heldBy(await deps.interactions.get(id), id, agentId);
    const [replies, routesList, files] = await Promise.all([out.conversations.listReplies(id), config.addresses.list(), attachments(out, b.attachments)]);
    if (files.kind === 'refused') return refused(c, files.issues);
    const byAddress = new Map(routesList.map((r) => [r.address, r]));
    const route = addressesWrittenTo(interaction).map((a) => byAddress.get(a)).find((r) => r !== undefined);
    const composed = composeReply(
      { ...b, requestedBy: agentId, requestId: b.requestId ?? randomUUID(), attachments: files.files },
      { interaction, replies, ...(route && { route }), ownAddresses: new Set(routesList.flatMap((r) => [r.address, r.fromAddress])) },
    );
    return submitted(c, composed, submitDeps, deps.now());
  });

  routes.post('/send', async (c) => {
    const b = parseBody(sendBody, await jsonBody(c.req));
    // An IAM caller (the CLI) naming no agent sends as `admin`, as before sign-in existed.
    const sender = actingAgentId(callerOf(c), b.agentId) ?? 'admin';
    const earlier = await retried(out, sender, b.requestId);
    if (earlier) return submitted(c, { kind: 'ok', record: earlier }, submitDeps, deps.now());
    const content = await contentOf(b, config);
    const [route, integrations, files] = await Promise.all([config.addresses.get(b.from.address.toLowerCase()), out.integrations.list(), attachments(out, b.attachments)]);
    if (files.kind === 'refused') return refused(c, files.issues);
    const registrySender = integrations.some((i) => i.senders.includes(b.from.address.toLowerCase()));
    const { agentId: _a, template: _t, variables: _v, requestId, ...rest } = b;
    const composed = composeNewMail(
      { ...rest, ...content, requestedBy: sender, requestId: requestId ?? randomUUID(), attachments: files.files, ...(b.template !== undefined && { templateId: b.template }) },
      route,
      registrySender,
    );
    return submitted(c, composed, submitDeps, deps.now());
  });

  routes.get('/outbox', async (c) => {
    const { state, interaction } = parseParams(outboxQuery, c.req.query());
    const { limit, cursor } = parseParams(pageQuery, { limit: c.req.query('limit'), cursor: c.req.query('cursor') });
    const page = await out.outbox.list({ ...(state && { state }), ...(interaction && { interactionId: interaction }), limit, ...(cursor && { cursor }) });
    return c.json({ outbox: page.records.map(outboxView), ...(page.cursor !== undefined && { cursor: page.cursor }) });
  });

  routes.get('/outbox/:id', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    return c.json({ outbox: outboxView(await stored(out, id)) });
  });

  routes.post('/outbox/:id/resend', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    const record = await stored(out, id);
    if (record.state !== 'uncertain' && record.state !== 'failed') {
      throw new ConflictError(ERROR_REASONS.outboxNotResendable, `outbox record ${id} is ${record.state}; only an uncertain or failed one is sent again`, { state: `is ${record.state}` });
    }
    const again = await out.outbox.resend(id, deps.now());
    await out.notifier.notify([id]);
    return c.json({ outbox: outboxView(again) });
  });

  return routes;
}

/**
 * An outbox record as the API shows it. The address route's fixed BCC is left out: it is sent to,
 * never shown (seed 001), so an agent cannot learn or remove it.
 */
export function outboxView(record: OutboxRecord) {
  const { hiddenBcc: _hidden, ...shown } = record;
  return shown;
}

/** The interaction, claimed by `agentId`: only the agent holding the claim answers it. */
function heldBy(interaction: Interaction | undefined, id: string, agentId: string): Interaction {
  if (!interaction) throw new NotFoundError(ERROR_REASONS.interactionNotFound, 'interaction', id);
  if (interaction.state !== 'claimed') {
    throw new ConflictError(ERROR_REASONS.interactionNotClaimed, `interaction ${id} is ${interaction.state}`, { state: `is ${interaction.state}; claim it to reply` });
  }
  if (interaction.agentId !== agentId) {
    throw new ConflictError(ERROR_REASONS.interactionClaimedByOther, `interaction ${id} is claimed by another agent`, { agentId: 'does not hold this interaction' });
  }
  return interaction;
}

/**
 * The record an earlier try of the same request enqueued. Why first: a client retrying a
 * timed-out request must get that record, even when the interaction was closed meanwhile.
 */
async function retried(out: OutboundApiDeps, requestedBy: string, requestId: string | undefined): Promise<OutboxRecord | undefined> {
  return requestId === undefined ? undefined : out.outbox.get(outboxIdForRequest(requestedBy, requestId));
}

async function stored(out: OutboundApiDeps, id: string): Promise<OutboxRecord> {
  const record = await out.outbox.get(id);
  if (!record) throw new NotFoundError(ERROR_REASONS.outboxNotFound, 'outbox record', id);
  return record;
}

/** The uploads named by `ids` as attachments; a missing one is a field issue. */
async function attachments(
  out: OutboundApiDeps,
  ids: readonly string[] | undefined,
): Promise<{ kind: 'ok'; files: OutboundAttachment[] } | { kind: 'refused'; issues: SendIssue[] }> {
  const found = await Promise.all((ids ?? []).map((id) => out.files.uploaded(id)));
  const issues = found.flatMap((f, i) => (f ? [] : [{ field: `attachments[${i}]`, reason: ERROR_REASONS.uploadNotFound, message: `upload ${ids![i]} does not exist (never uploaded, or expired)` }]));
  return issues.length ? { kind: 'refused', issues } : { kind: 'ok', files: found.filter((f) => f !== undefined) };
}

/** Subject and bodies of `POST /send`: given, or rendered from a stored template with its variables. */
async function contentOf(
  b: {
    template?: string | undefined;
    variables?: Partial<Record<string, string>> | undefined;
    to?: readonly { readonly address: string }[];
    subject?: string | undefined;
    text?: string | undefined;
    html?: string | undefined;
  },
  config: RoutingConfigDeps,
): Promise<{ subject?: string; text?: string; html?: string }> {
  if (b.template === undefined) {
    if (b.text === undefined && b.html === undefined) throw bodyRequired();
    return {};
  }
  if (b.text !== undefined || b.html !== undefined) throw new ValidationError({ text: 'is not allowed with a template: the template is the body' }, { text: FIELD_ERROR_CODES.notAllowed });
  const template = await config.templates.get(b.template);
  if (!template) throw new ValidationError({ template: `template ${b.template} does not exist` }, { template: FIELD_ERROR_CODES.invalid }, { template: ERROR_REASONS.templateNotFound });
  // `recipient` is the first To address unless the request names it (found by a new-user trial: it rendered empty).
  const recipient = b.to?.[0]?.address;
  const rendered = renderAckTemplate(template, { ...(recipient !== undefined && { recipient }), ...b.variables });
  return { subject: b.subject ?? rendered.subject, text: rendered.body };
}

function bodyRequired(): ValidationError {
  return new ValidationError({ text: 'is required (or html)' }, { text: FIELD_ERROR_CODES.required });
}

/** Submits a composed send: 202 with the record (enqueued now or by an earlier try), or 422. */
async function submitted(c: Context, composed: ComposedSend, deps: Parameters<typeof submitSend>[1], now: Date): Promise<Response> {
  if (composed.kind === 'refused') return refused(c, composed.issues);
  const outcome = await submitSend(composed.record, deps, now);
  if (outcome.kind === 'refused') return refused(c, outcome.issues);
  return c.json({ outbox: outboxView(outcome.record), enqueued: outcome.kind === 'enqueued' }, 202);
}

/** 422 send-refused: nothing was enqueued; `issues` say which field and why. */
function refused(c: Context, issues: readonly SendIssue[]): Response {
  const fields: Record<string, string> = {};
  const reasons: Record<string, ErrorReason> = {};
  for (const issue of issues) {
    if (issue.field in fields) continue;
    fields[issue.field] = issue.message;
    reasons[issue.field] = issue.reason;
  }
  const first = issues[0]!;
  return c.json(errorBody(API_ERROR_CODES.sendRefused, first.reason, `not sent: ${Object.entries(fields).map(([f, m]) => `${f}: ${m}`).join('; ')}`, fields, { reasons }), 422);
}
