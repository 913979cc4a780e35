/**
 * `POST /flows/dry-run` (issue 12 item 4): what routing would do with one message under one flow,
 * for the console's flow editor. The flow is a stored one (its current version) or an unsaved
 * definition, validated first with the same field messages as `PUT /flows/:id`; the message is a
 * pasted RFC 5322 text (parsed by the production MIME adapter, at most
 * {@link FLOW_DRY_RUN_LIMITS.maxRawBytes}) or a stored interaction's raw message. Core's dryRunFlow
 * decides with routing's own code; nothing is stored and nothing is sent. Served beside the flow
 * routes (app.ts): it carries flow validation (RE2) and the MIME parser.
 */
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { NotFoundError, QuarantineError, UnprocessableError, ValidationError } from '../../../core/errors.ts';
import { ERROR_REASONS } from '../../../core/error-reasons.ts';
import { MAIL_LIMITS } from '../../../core/limits.ts';
import type { InboundMessage, ParsedMail, Verdicts } from '../../../core/message.ts';
import { dryRunFlow } from '../../../core/routing/dry-run.ts';
import { compileFlow, type CompiledFlow } from '../../../core/routing/flow-eval.ts';
import { FLOW_LIMITS, VERDICT_STATUSES } from '../../../core/routing/flow.ts';
import { assertValidFlow } from '../../../core/routing/flow-validation.ts';
import type { RoutingConfigSource } from '../../../core/routing/routing-ports.ts';
import { parseWithoutStoring } from '../../mime/parse-raw-message.ts';
import type { ApiDeps, FlowDryRunApiDeps, RoutingConfigDeps } from '../deps.ts';
import { jsonBody, parseBody } from '../validation.ts';
import { asFlowDefinition, flowBody } from './routing-schemas.ts';

export const FLOW_DRY_RUN_LIMITS = {
  /** A pasted message: enough for any real text mail with small attachments, and it fits the API's 1 MiB body. */
  maxRawBytes: 1_000_000,
} as const;

/** The id and version an unsaved flow's trail lines name. */
export const UNSAVED_FLOW = { id: '(unsaved)', version: 0 } as const;

const verdict = z.optional(z.enum(VERDICT_STATUSES as [string, ...string[]], `must be one of ${VERDICT_STATUSES.join(', ')}`));
const dryRunBody = z.strictObject({
  flowId: z.optional(z.string().check(z.regex(new RegExp(`^[A-Za-z0-9._:-]{1,${FLOW_LIMITS.maxIdChars}}$`), 'must be a flow id'))),
  flow: z.optional(z.unknown()),
  raw: z.optional(z.string().check(z.minLength(1, 'must be a message'))),
  interactionId: z.optional(z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be an interaction id'))),
  /** A pasted message has no receipt verdicts: PASS unless given here. */
  verdicts: z.optional(z.strictObject({ spam: verdict, virus: verdict, spf: verdict, dkim: verdict, dmarc: verdict })),
});

/** `POST /flows/dry-run`. */
export function flowDryRunRoutes(config: RoutingConfigDeps, dryRun: FlowDryRunApiDeps, deps: Pick<ApiDeps, 'interactions' | 'queues' | 'now' | 'content'>): Hono {
  const routes = new Hono();
  const source = uncachedConfig(config);

  routes.post('/flows/dry-run', async (c) => {
    const body = parseBody(dryRunBody, await jsonBody(c.req));
    exactlyOne(body, 'flowId', 'flow', 'a stored flow (flowId) or an unsaved one (flow)');
    exactlyOne(body, 'raw', 'interactionId', 'a pasted message (raw) or a stored interaction (interactionId)');
    const flow = body.flowId !== undefined ? await storedFlow(config, body.flowId) : await unsavedFlow(config, deps, body.flow);
    const { message, self } = body.raw !== undefined ? await pasted(body.raw, { ...PASS, ...body.verdicts } as Verdicts, deps.now()) : await stored(deps, body.interactionId!);
    const result = await dryRunFlow(message, flow, { ...dryRun, config: source, queues: deps.queues, servedDomains: config.servedDomains, now: deps.now }, self);
    return c.json({ flow: { id: flow.id, version: flow.version }, trail: result.trail, outcome: result.outcome });
  });

  return routes;
}

const PASS: Verdicts = { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' };

function exactlyOne(body: Record<string, unknown>, a: string, b: string, what: string): void {
  if ((body[a] === undefined) === (body[b] === undefined)) {
    const message = `give exactly one of ${a} and ${b}: ${what}`;
    throw new ValidationError({ [body[a] === undefined ? a : b]: message });
  }
}

async function storedFlow(config: RoutingConfigDeps, id: string): Promise<CompiledFlow> {
  const stored = await config.flows.getVersion(id);
  if (!stored) throw new NotFoundError(ERROR_REASONS.flowNotFound, 'flow', id);
  return compileFlow(id, stored.version, stored.definition);
}

/** Validated as `PUT /flows/:id` validates; field paths are the flow's own (`rules[0].when[0].value`). */
async function unsavedFlow(config: RoutingConfigDeps, deps: Pick<ApiDeps, 'queues'>, input: unknown): Promise<CompiledFlow> {
  const definition = asFlowDefinition(parseBody(flowBody, input));
  const [queues, templates] = await Promise.all([deps.queues.list(), config.templates.list()]);
  assertValidFlow(definition, { queues: new Set(queues.map((q) => q.id)), templates: new Set(templates.map((t) => t.id)) });
  return compileFlow(UNSAVED_FLOW.id, UNSAVED_FLOW.version, definition);
}

/** A pasted message as the SES path would see it: recipients from To and Cc, sender from Return-Path or From. */
async function pasted(raw: string, verdicts: Verdicts, now: Date): Promise<{ message: InboundMessage; self?: string }> {
  const bytes = Buffer.from(raw, 'utf8');
  if (bytes.length > FLOW_DRY_RUN_LIMITS.maxRawBytes) {
    throw new ValidationError({ raw: `must be at most ${FLOW_DRY_RUN_LIMITS.maxRawBytes} bytes (it is ${bytes.length})` }, {}, { raw: ERROR_REASONS.valueOutOfRange });
  }
  const parsed = await parseOrRefuse('raw', () => parseWithoutStoring(bytes, { ...MAIL_LIMITS, maxMessageBytes: FLOW_DRY_RUN_LIMITS.maxRawBytes }));
  const recipients = [...new Set([...parsed.to, ...parsed.cc].map((a) => a.address.toLowerCase()))];
  const returnPath = parsed.headers['return-path'];
  const mailFrom = returnPath !== undefined ? (/<([^<>]*)>/.exec(returnPath)?.[1] ?? returnPath).trim() : (parsed.from?.address ?? '');
  const receipt = { transport: { kind: 'ses' as const, messageId: 'dry-run' }, receivedAt: now.toISOString(), recipients, mailFrom, verdicts, raw: { bucket: '', key: '' } };
  return { message: { ...receipt, ...parsed } };
}

/** A stored interaction's own message: its receipt facts, and its raw .eml parsed again. */
async function stored(deps: Pick<ApiDeps, 'interactions' | 'content'>, id: string): Promise<{ message: InboundMessage; self: string }> {
  const interaction = await deps.interactions.get(id);
  if (!interaction) throw new NotFoundError(ERROR_REASONS.interactionNotFound, 'interaction', id);
  if (!deps.content) throw new UnprocessableError({ interactionId: 'cannot be read here: this API has no access to stored mail; paste the message instead' });
  const m = interaction.message;
  const { body } = await deps.content.stream(m.raw);
  const parsed = await parseOrRefuse('interactionId', () => parseWithoutStoring(Readable.fromWeb(body as WebReadableStream<Uint8Array>)));
  const receipt = { transport: m.transport, receivedAt: m.receivedAt, recipients: m.recipients, mailFrom: m.mailFrom, verdicts: m.verdicts, raw: m.raw };
  return { message: { ...receipt, ...parsed }, self: id };
}

async function parseOrRefuse(field: string, parse: () => Promise<ParsedMail>): Promise<ParsedMail> {
  try {
    return await parse();
  } catch (err) {
    if (!(err instanceof QuarantineError)) throw err;
    throw new UnprocessableError({ [field]: `would be quarantined (${err.reason}): ${err.message}` });
  }
}

/** The routing config read afresh on every dry run: an admin testing an edit must not see a cached version. */
function uncachedConfig(config: RoutingConfigDeps): RoutingConfigSource {
  return {
    addressRoute: (address) => config.addresses.get(address.toLowerCase()),
    flow: async (id) => {
      const stored = await config.flows.getVersion(id);
      return stored && compileFlow(id, stored.version, stored.definition);
    },
    template: async (id) => {
      const stored = await config.templates.get(id);
      return stored && { subject: stored.subject, body: stored.body };
    },
  };
}
