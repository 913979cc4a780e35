/**
 * The routing decision for one inbound message, as a contact-center ACD makes it, in core and
 * without I/O: ingest gathers the facts (address route, flows, thread lookups, duplicate claim,
 * detected language) and this module decides, step by step, writing every step to the trail so
 * `postroom interaction show` can answer "why is this mail here?".
 *
 * Order, and why:
 * 1. virus FAIL disconnects first: infected mail must never reach an agent, not even as a reply;
 * 2. a probable duplicate or a reply joins its interaction (an auto-reply too: it attaches, and
 *    never opens a new interaction or a loop);
 * 3. automatic mail (bounces, reports, auto-replies, lists) that joins nothing is set aside;
 * 4. spam follows the address's spam routing (its flow, or disconnect);
 * 5. the address routing (queue target, or always a flow) and the flow's rules place the rest;
 * 6. an auto-acknowledgement is requested only for mail the loop guard lets through.
 */
import type { TrailEntry } from '../interaction.ts';
import type { InboundMessage } from '../message.ts';
import { evaluateFlow, flowTrailEntries, type CompiledFlow, type FlowDecision, type FlowStart } from './flow-eval.ts';
import { isMailAddress } from './address-route-rules.ts';
import { ackRecipient, autoAckDecision, classifyLoop } from './loop-guard.ts';
import type { EmailAddressRoute, QueueTarget } from './model.ts';
import { spamDecision } from './spam-guard.ts';
import type { DuplicateDecision, ThreadDecision } from './threading.ts';
import { renderAckTemplate, type AckTemplate } from './template.ts';


/** What ingest looked up for one message before the decision. */
export interface RouteContext {
  readonly now: Date;
  /** The organisation's domains: auto-acknowledgements never go to them. */
  readonly domains: readonly string[];
  readonly defaults: { readonly queueId: string; readonly priority: number };
  /** The route of the first served recipient that has one. */
  readonly addressRoute?: EmailAddressRoute;
  /** ISO 639-1 code of the body's language, when detection was confident. */
  readonly language?: string;
  /** Why the language is what it is, or undetermined; written to the trail before the flow runs. */
  readonly languageExplanation?: string;
  readonly duplicate: DuplicateDecision;
  readonly thread: ThreadDecision;
  /** The flows the address route refers to, compiled, by id. */
  readonly flows: ReadonlyMap<string, CompiledFlow>;
  /** The stored templates those flows' acknowledgements name, by id; a missing one falls back to the built-in one. */
  readonly templates?: ReadonlyMap<string, AckTemplate>;
  /** The reference token the new interaction would get, for templates. */
  readonly reference: string;
}

/** A rendered auto-acknowledgement for the outbox; the per-sender limiter still has to agree. */
export interface AutoAckRequest extends AckTemplate {
  readonly to: string;
  readonly from: string;
  readonly fromName?: string;
}

export type RouteDecision =
  | { readonly kind: 'attach'; readonly interactionId: string; readonly trail: readonly TrailEntry[] }
  | {
      readonly kind: 'queue';
      readonly target: QueueTarget;
      readonly tags: readonly string[];
      readonly autoAck?: AutoAckRequest;
      readonly trail: readonly TrailEntry[];
    }
  | {
      readonly kind: 'disconnected' | 'set-aside';
      readonly reason: string;
      readonly detail: string;
      readonly tags: readonly string[];
      readonly trail: readonly TrailEntry[];
    };

/** The built-in acknowledgement, used when the stored template a flow names does not exist. */
export const DEFAULT_ACK_TEMPLATE: AckTemplate = {
  subject: 'We received your message: {{subject}} [{{reference}}]',
  body:
    'Hello {{from.name}},\n\nthank you for your message. It has reached our team and we will answer as soon as we can.\n' +
    'Your reference is {{reference}}; please keep it in the subject when you write to us about this.\n',
};

/** Decides where one message goes. Pure: the same facts always give the same decision. */
export function decideRoute(message: InboundMessage, ctx: RouteContext): RouteDecision {
  const trail: TrailEntry[] = [];
  const note = (step: string, detail: string) => trail.push({ at: ctx.now.toISOString(), step, detail });
  note('received', `${message.transport.kind} message for ${message.recipients.join(', ')}${message.receiptNote ? ` (${message.receiptNote})` : ''}`);

  const spam = spamDecision(message, ctx.addressRoute?.spamRouting);
  if ('disconnect' in spam && spam.disconnect === 'virus') {
    note('disconnected', spam.explanation);
    return { kind: 'disconnected', reason: 'virus', detail: spam.explanation, tags: [], trail };
  }
  if (ctx.duplicate.duplicateOf) {
    note('attached', ctx.duplicate.explanation);
    return { kind: 'attach', interactionId: ctx.duplicate.duplicateOf, trail };
  }
  if ('join' in ctx.thread) {
    note('attached', `${ctx.thread.explanation} (by ${ctx.thread.by})`);
    return { kind: 'attach', interactionId: ctx.thread.join, trail };
  }
  note('thread', ctx.thread.explanation);

  const loop = classifyLoop(message);
  if (loop.setAsideReason) {
    const detail = `${loop.kind}: ${loop.reasons.join('; ')}`;
    note('set-aside', `${detail}; it matches no interaction, so it is set aside and never answered`);
    return { kind: 'set-aside', reason: loop.setAsideReason, detail, tags: [], trail };
  }

  const route = ctx.addressRoute;
  note('address', route ? `address route ${route.address}` : `no address route for ${message.recipients.join(', ')}: the default queue`);
  if ('disconnect' in spam) {
    note('disconnected', spam.explanation);
    return { kind: 'disconnected', reason: 'spam', detail: spam.explanation, tags: [], trail };
  }
  const tags = 'continue' in spam ? [...spam.tags] : [];
  if ('continue' in spam && spam.tags.length > 0) note('spam', spam.explanation);

  const start = startOf(route, ctx);
  const flowId = 'flow' in spam ? spam.flow : route?.routing.kind === 'flow' ? route.routing.flowId : undefined;
  if ('flow' in spam) note('spam', spam.explanation);
  if (route?.routing.kind === 'none' && !('flow' in spam)) note('address', `${route.address} routes no inbound mail (outbound only): the default queue`);

  if (ctx.languageExplanation) note('language', ctx.languageExplanation);
  let decision: FlowDecision | undefined;
  if (flowId !== undefined) {
    const flow = ctx.flows.get(flowId);
    if (!flow) {
      note('flow', `flow ${flowId} does not exist: the mail goes to ${start.queueId ?? ctx.defaults.queueId}`);
    } else {
      decision = evaluateFlow(flow, { ...message, text: message.text, ...(ctx.language && { language: ctx.language }) }, start);
      trail.push(...flowTrailEntries(flow, decision, ctx.now));
      if (decision.disconnect) {
        return { kind: 'disconnected', reason: 'flow', detail: decision.disconnect.reason, tags: [...tags, ...decision.tags], trail };
      }
    }
  }

  const placed = decision ?? { ...start, tags: [] as string[] };
  const target: QueueTarget = {
    kind: 'queue',
    queueId: placed.queueId ?? ctx.defaults.queueId,
    skills: [...placed.skills],
    priority: placed.priority,
    ...(placed.language !== undefined && { language: placed.language }),
  };
  const allTags = [...new Set([...tags, ...placed.tags])];
  note('queued', describeTarget(target) + (ctx.language ? ` (detected language ${ctx.language})` : ''));

  const autoAck = decision?.autoAcknowledge ? ackRequest(message, ctx, decision.autoAcknowledge, loop, note) : undefined;
  return { kind: 'queue', target, tags: allTags, ...(autoAck && { autoAck }), trail };
}

/** Where the mail would go before any flow: the address's queue target, or the defaults. */
function startOf(route: EmailAddressRoute | undefined, ctx: RouteContext): FlowStart {
  if (route?.routing.kind === 'queue') {
    const q = route.routing;
    return { queueId: q.queueId, skills: q.skills, priority: q.priority, ...(q.language !== undefined && { language: q.language }) };
  }
  return { queueId: ctx.defaults.queueId, skills: [], priority: ctx.defaults.priority };
}

function ackRequest(
  message: InboundMessage,
  ctx: RouteContext,
  action: NonNullable<FlowDecision['autoAcknowledge']>,
  loop: ReturnType<typeof classifyLoop>,
  note: (step: string, detail: string) => void,
): AutoAckRequest | undefined {
  const to = ackRecipient(message);
  const allowed = autoAckDecision(loop, to, ctx.domains);
  if (!allowed.allowed || to === undefined) {
    note('auto-ack', `not sent: ${allowed.reason}`);
    return undefined;
  }
  // The address becomes a header of our reply: anything but a bare mailbox (CR/LF, angle brackets,
  // a second address) is refused rather than sent.
  if (!isMailAddress(to)) {
    note('auto-ack', `not sent: ${JSON.stringify(to.slice(0, 100))} is not a plain mail address`);
    return undefined;
  }
  const { template, source } = ackTemplateOf(action, ctx);
  const rendered = renderAckTemplate(template, {
    subject: message.subject,
    'from.name': message.from?.name ?? message.from?.address ?? '',
    'from.address': message.from?.address ?? '',
    reference: ctx.reference,
    recipient: message.recipients[0] ?? '',
  });
  const from = ctx.addressRoute?.fromAddress ?? message.recipients.find((r) => ctx.domains.some((d) => r.endsWith(`@${d}`))) ?? '';
  if (from === '') {
    note('auto-ack', 'not sent: no address of ours to send it from');
    return undefined;
  }
  note('auto-ack', `requested to ${to} (${source}); ${allowed.reason}`);
  return { ...rendered, to, from, ...(ctx.addressRoute?.fromName && { fromName: ctx.addressRoute.fromName }) };
}

/** The inline template, else the stored one the action names, else the built-in one, and which it was. */
function ackTemplateOf(action: NonNullable<FlowDecision['autoAcknowledge']>, ctx: RouteContext): { template: AckTemplate; source: string } {
  if (action.subject !== undefined && action.body !== undefined) return { template: { subject: action.subject, body: action.body }, source: 'flow template' };
  const id = action.templateId ?? '';
  const stored = ctx.templates?.get(id);
  if (stored) return { template: stored, source: `template ${id}` };
  return { template: DEFAULT_ACK_TEMPLATE, source: `template ${id} does not exist: the built-in one` };
}

function describeTarget(t: QueueTarget): string {
  const needs = [t.skills.length ? `skills ${t.skills.join(', ')}` : '', t.language ? `language ${t.language}` : ''].filter(Boolean);
  return `queue ${t.queueId} with priority ${t.priority}${needs.length ? `, requiring ${needs.join(' and ')}` : ''}`;
}
