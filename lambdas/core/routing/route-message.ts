/**
 * The routing half of ingest: gather the facts one message's decision needs through the ports
 * (address route, flows, thread lookups, duplicate claim, language), decide in core
 * ({@link decideRoute}), then carry the decision out, each write conditional and derived from the
 * transport identity so a retried ingest repeats nothing.
 */
import { TransientError } from '../errors.ts';
import type { IngestDeps, IngestOutcome } from '../ingest-ports.ts';
import { interactionMessageOf } from '../interaction-message.ts';
import type { Interaction, TrailEntry } from '../interaction.ts';
import { boundAddress, boundAttachments, boundHeader, boundTrail, cutText } from '../item-bounds.ts';
import { ITEM_LIMITS, MAIL_LIMITS } from '../limits.ts';
import type { InboundMessage } from '../message.ts';
import { UNDETERMINED_LANGUAGE, type ReplyRecord } from './routing-ports.ts';
import { orderKey } from '../score.ts';
import { referencedTemplates } from './ack-template.ts';
import type { CompiledFlow } from './flow-eval.ts';
import type { EmailAddressRoute } from './model.ts';
import { referenceTokenFor } from './reference-token.ts';
import { decideRoute, type RouteContext, type RouteDecision } from './decide-route.ts';
import type { AckTemplate } from './template.ts';
import { contentHash, decideThread, duplicateDecision, normalizeMessageId, threadKeys, type DuplicateDecision } from './threading.ts';
import { acknowledge } from './acknowledge.ts';
import { absorbVerpBounce } from '../outbound/verp-bounce.ts';

/**
 * How long after the first copy claimed a Message-ID a missing interaction is taken to be still
 * on its way (ingest takes seconds; the queue's retries cover minutes), not deleted by an admin.
 */
export const DUPLICATE_IN_FLIGHT_MS = 10 * 60_000;

function inFlight(duplicate: DuplicateDecision, target: string, now: Date): boolean {
  if (duplicate.duplicateOf !== target || duplicate.duplicateAt === undefined) return false;
  // A clock a little behind the first copy's (another Lambda) still counts as in flight.
  return now.getTime() - Date.parse(duplicate.duplicateAt) < DUPLICATE_IN_FLIGHT_MS;
}

/** Routes one parsed message whose interaction (if it gets one) is `id`. */
export async function routeMessage(
  id: string,
  key: string,
  message: InboundMessage,
  served: readonly string[],
  deps: IngestDeps,
): Promise<IngestOutcome> {
  const r = deps.routing;
  const now = deps.now();
  const bounce = r.verpBounces && (await absorbVerpBounce(message, r.verpBounces, now));
  if (bounce) {
    await deps.interactions.create(interactionOf(id, message, bounce, bounce.trail, undefined, now));
    return { outcome: 'set-aside', interactionId: id, reason: bounce.reason };
  }
  const addressRoute = message.mailbox ? await mailboxRoute(message.mailbox.routing, message, deps) : await firstRoute(served, deps);
  const flows = await flowsOf(addressRoute, deps);
  const templates = await templatesOf(flows, deps);
  const keys = threadKeys(message);
  const [messageIds, tokens] = await Promise.all([r.threads.lookup(keys.messageIds), r.threads.lookupTokens(keys.tokens)]);
  const thread = decideThread(message, { messageIds, tokens }, { now, ...(r.threadWindowDays !== undefined && { windowDays: r.threadWindowDays }) });
  const owner = 'join' in thread ? thread.join : id;
  const duplicate = await claimMessageId(message, owner, id, now, deps);
  const detection = r.detectLanguage(message.text);
  const language = detection.language;
  const reference = referenceTokenFor(id);

  const context: RouteContext = {
    now,
    domains: await deps.servedDomains.list(),
    defaults: { queueId: deps.settings.defaultQueueId, priority: deps.settings.defaultPriority },
    duplicate,
    thread,
    flows,
    templates,
    reference,
    ...(addressRoute && { addressRoute }),
    ...(language && { language }),
    languageExplanation: detection.explanation,
  };
  let decision = decideRoute(message, context);
  if (decision.kind === 'attach' && decision.interactionId === duplicate.duplicateOf && message.mailbox?.backfill) {
    // A backfill (a first poll, a UIDVALIDITY resync) refetches mail that is here already: attaching
    // it again would add a reply and could reopen an interaction an agent closed.
    return { outcome: 'duplicate', interactionId: decision.interactionId };
  }

  if (decision.kind === 'attach') {
    const target = decision.interactionId;
    const result = await r.conversations.attach(target, replyOf(key, message), decision.trail, now);
    if (result === 'attached' || result === 'reopened') return { outcome: 'attached', interactionId: target };
    // A copy of a mail whose first copy is still being ingested (the same mail polled from two
    // mailboxes, or by SES and a poller, in the same second): its interaction is not written yet.
    // Retrying later joins it; routing it as new now would make a second interaction.
    if (result === 'missing' && inFlight(duplicate, target, now)) {
      throw new TransientError('duplicate-in-flight', `the first copy of this mail (${target}) is still being ingested; retry to join it`);
    }
    // The interaction is gone (deleted by an admin), was never offered to an agent (disconnected
    // as spam, set aside) or is full: a customer writing again must reach a person, so route as new mail.
    const why =
      result === 'missing'
        ? `${target} no longer exists`
        : result === 'full'
          ? `${target} took ${ITEM_LIMITS.maxRepliesPerInteraction} replies already`
          : `${target} was disconnected or set aside`;
    decision = decideRoute(message, {
      ...context,
      duplicate: { explanation: why },
      thread: { new: true, explanation: `the conversation it belongs to cannot take it: ${why}` },
    });
    if (decision.kind === 'attach') throw new Error('unreachable: a new thread never attaches');
  }

  if (decision.kind === 'queue') decision = await ensureQueueExists(decision, deps, now);
  const trail = [...decision.trail];
  if (decision.kind === 'queue' && decision.autoAck && message.mailbox?.backfill) {
    // A first poll (or a resync) fetches days of old mail: acknowledging it would flood customers.
    trail.push({ at: now.toISOString(), step: 'auto-ack', detail: 'muted: backfilled from the mailbox on its first poll (or a UIDVALIDITY resync)' });
  } else if (decision.kind === 'queue' && decision.autoAck) trail.push(await acknowledge(id, message, decision.autoAck, reference, now, deps));
  await deps.interactions.create(interactionOf(id, message, decision, trail, language, now));
  if (decision.kind === 'queue') await r.threads.recordToken(reference, id, now, message.from?.address.toLowerCase());
  return decision.kind === 'queue'
    ? { outcome: 'queued', interactionId: id, queueId: decision.target.queueId }
    : { outcome: decision.kind, interactionId: id, reason: decision.reason };
}

/**
 * A route or flow may name a queue that was removed (or is being removed) since it was
 * configured: the mail then waits in the default queue, never in a queue no agent serves.
 * Exported for the flow dry run (dry-run.ts), which must say the same.
 */
export async function ensureQueueExists(
  decision: Extract<RouteDecision, { kind: 'queue' }>,
  deps: Pick<IngestDeps, 'settings' | 'queues'>,
  now: Date,
): Promise<Extract<RouteDecision, { kind: 'queue' }>> {
  const queueId = decision.target.queueId;
  if (queueId === deps.settings.defaultQueueId || (await deps.queues.get(queueId))) return decision;
  const fallback = deps.settings.defaultQueueId;
  return {
    ...decision,
    target: { ...decision.target, queueId: fallback },
    trail: [...decision.trail, { at: now.toISOString(), step: 'queued', detail: `queue ${queueId} does not exist (or is being removed): the default queue ${fallback} instead` }],
  };
}

/** The route of the first served recipient that has one: To before CC, as SES lists them. */
async function firstRoute(served: readonly string[], deps: IngestDeps): Promise<EmailAddressRoute | undefined> {
  for (const address of served) {
    const route = await deps.routing.config.addressRoute(address);
    if (route) return route;
  }
  return undefined;
}

/**
 * The route of polled mail: the server's routing plan, not the recipients (issue 10 item 5). An
 * address plan uses that address's route (none stored: the defaults); a flow plan runs that flow,
 * acknowledging from the mailbox's address when it is one.
 */
async function mailboxRoute(routing: NonNullable<InboundMessage['mailbox']>['routing'], message: InboundMessage, deps: IngestDeps): Promise<EmailAddressRoute | undefined> {
  if (routing.kind === 'address') return deps.routing.config.addressRoute(routing.address.toLowerCase());
  const address = message.recipients[0] ?? '';
  return { address, fromName: '', fromAddress: address, bcc: [], routing: { kind: 'flow', flowId: routing.flowId }, createdAt: '', updatedAt: '' };
}

async function flowsOf(route: EmailAddressRoute | undefined, deps: IngestDeps): Promise<Map<string, CompiledFlow>> {
  const ids = [route?.routing.kind === 'flow' ? route.routing.flowId : undefined, route?.spamRouting?.kind === 'flow' ? route.spamRouting.flowId : undefined];
  const flows = new Map<string, CompiledFlow>();
  for (const flowId of new Set(ids.filter((x): x is string => x !== undefined))) {
    const flow = await deps.routing.config.flow(flowId);
    if (flow) flows.set(flowId, flow);
  }
  return flows;
}

/** The stored templates the loaded flows' acknowledgements name; a missing one is left out. */
async function templatesOf(flows: ReadonlyMap<string, CompiledFlow>, deps: IngestDeps): Promise<Map<string, AckTemplate>> {
  const ids = new Set([...flows.values()].flatMap((flow) => referencedTemplates(flow.rules)));
  const templates = new Map<string, AckTemplate>();
  for (const id of ids) {
    const template = await deps.routing.config.template(id);
    if (template) templates.set(id, template);
  }
  return templates;
}

/** Claims the Message-ID for the interaction the message will belong to (decision 4). */
async function claimMessageId(message: InboundMessage, owner: string, id: string, now: Date, deps: IngestDeps): Promise<DuplicateDecision> {
  const messageId = normalizeMessageId(message.messageId);
  if (messageId === undefined) return { explanation: 'no Message-ID: duplicates are recognised by transport identity only' };
  // The claimant (this message's own id) tells a resumed ingest from a second delivery of a reply.
  const claim = await deps.routing.threads.claimMessageId(messageId, contentHash(message), owner, now, id);
  return duplicateDecision(claim, messageId);
}

function interactionOf(
  id: string,
  message: InboundMessage,
  decision: Exclude<RouteDecision, { kind: 'attach' }>,
  trail: readonly TrailEntry[],
  language: string | undefined,
  now: Date,
): Interaction {
  const base = {
    id,
    channel: 'email' as const,
    createdAt: now.toISOString(),
    message: interactionMessageOf(message, message),
    trail: boundTrail(trail),
    ...(decision.tags.length > 0 && { tags: decision.tags.slice(0, ITEM_LIMITS.maxTags) }),
    // Undetermined is recorded as such, so reports tell "not detected" from "not looked at".
    detectedLanguage: language ?? UNDETERMINED_LANGUAGE,
  };
  if (decision.kind !== 'queue') {
    return { ...base, state: decision.kind, priority: 0, skills: [], disposition: { reason: decision.reason, detail: cutText(decision.detail, ITEM_LIMITS.maxTrailDetailChars) } };
  }
  const t = decision.target;
  return {
    ...base,
    state: 'waiting',
    queueId: t.queueId,
    priority: t.priority,
    skills: t.skills,
    ...(t.language !== undefined && { language: t.language }),
    enqueuedAt: now.toISOString(),
    orderKey: orderKey(now, t.priority),
  };
}

/** The reply item of a message, its lists and header values capped like an interaction's (decision 12). */
function replyOf(key: string, m: InboundMessage): ReplyRecord {
  const { attachments, attachmentCount } = boundAttachments(m.attachments);
  return {
    transportKey: key,
    receivedAt: m.receivedAt,
    mailFrom: m.mailFrom,
    subject: boundHeader(m.subject),
    textPreview: m.text.slice(0, MAIL_LIMITS.maxPreviewChars),
    attachments,
    ...(attachmentCount !== undefined && { attachmentCount }),
    ...(m.attachmentsBlob && { attachmentsBlob: m.attachmentsBlob }),
    verdicts: m.verdicts,
    raw: m.raw,
    ...(m.from && { from: boundAddress(m.from) }),
    ...(m.messageId && { messageId: boundHeader(m.messageId) }),
  };
}
