/**
 * The flow dry run (issue 12 item 4): the routing decision one message would get from a flow,
 * made by the very code the routing Lambda runs ({@link decideRoute}, {@link ensureQueueExists}),
 * from facts gathered through read-only ports. Nothing is stored and nothing is sent: no
 * Message-ID is claimed, no token recorded, no acknowledgement enqueued, no interaction written.
 *
 * The flow is put where the message's address route would name one (the route of its first
 * served recipient, its spam routing kept; without a route, an address routed to the flow), so the
 * trail is the one real routing writes for mail to an address routed to this flow, except the
 * line real routing adds when it enqueues the acknowledgement (here the outcome shows it instead).
 */
import { servedAddresses, type DeploymentSettings } from '../deployment-settings.ts';
import type { ServedDomains } from '../domains/domain.ts';
import type { TrailEntry } from '../interaction.ts';
import type { InboundMessage } from '../message.ts';
import type { QueueStore } from '../ports.ts';
import { referencedTemplates } from './ack-template.ts';
import { decideRoute, type AutoAckRequest } from './decide-route.ts';
import type { CompiledFlow } from './flow-eval.ts';
import type { EmailAddressRoute } from './model.ts';
import { referenceTokenFor } from './reference-token.ts';
import { ensureQueueExists } from './route-message.ts';
import type { LanguageDetection, RoutingConfigSource } from './routing-ports.ts';
import type { AckTemplate } from './template.ts';
import type { ThreadIndex } from './thread-ports.ts';
import { decideThread, threadKeys } from './threading.ts';

/** What a dry run reads; every port is a read. */
export interface DryRunDeps {
  readonly config: RoutingConfigSource;
  readonly threads: Pick<ThreadIndex, 'lookup' | 'lookupTokens'>;
  readonly queues: Pick<QueueStore, 'get'>;
  readonly servedDomains: ServedDomains;
  readonly settings: DeploymentSettings;
  readonly detectLanguage: (text: string) => LanguageDetection;
  /** @default 30 days, as routing */
  readonly threadWindowDays?: number;
  readonly now: () => Date;
}

/** Where the message would go and with what, as the console's flow editor shows it. */
export interface DryRunOutcome {
  readonly disposition: 'queue' | 'attach' | 'disconnected' | 'set-aside';
  readonly queueId?: string;
  readonly priority?: number;
  readonly skills?: readonly string[];
  readonly language?: string;
  readonly tags?: readonly string[];
  /** `attach`: the interaction the message would join. */
  readonly interactionId?: string;
  /** `disconnected` / `set-aside`: why. */
  readonly reason?: string;
  readonly detail?: string;
  /** The acknowledgement routing would enqueue (the per-sender daily limit still applies then). */
  readonly acknowledgement?: AutoAckRequest;
}

export interface DryRunResult {
  readonly trail: readonly TrailEntry[];
  readonly outcome: DryRunOutcome;
}

/**
 * Routes `message` through `flow` without storing or sending anything.
 * @param self a stored interaction whose own message this is: its Message-ID and token records
 *   are not taken as a thread to join (it would join itself)
 */
export async function dryRunFlow(message: InboundMessage, flow: CompiledFlow, deps: DryRunDeps, self?: string): Promise<DryRunResult> {
  const now = deps.now();
  const route = withFlow(await firstRoute(await servedAddresses(message.recipients, deps.servedDomains), deps.config), flow.id, message);
  const flows = new Map([[flow.id, flow]]);
  const spamFlow = route.spamRouting?.kind === 'flow' ? route.spamRouting.flowId : undefined;
  if (spamFlow !== undefined && spamFlow !== flow.id) {
    const stored = await deps.config.flow(spamFlow);
    if (stored) flows.set(spamFlow, stored);
  }
  const templates = new Map<string, AckTemplate>();
  for (const id of new Set([...flows.values()].flatMap((f) => referencedTemplates(f.rules)))) {
    const template = await deps.config.template(id);
    if (template) templates.set(id, template);
  }
  const keys = threadKeys(message);
  const [messageIds, tokens] = await Promise.all([deps.threads.lookup(keys.messageIds), deps.threads.lookupTokens(keys.tokens)]);
  const lookups = { messageIds: messageIds.filter((m) => m.interactionId !== self), tokens: tokens.filter((t) => t.interactionId !== self) };
  const thread = decideThread(message, lookups, { now, ...(deps.threadWindowDays !== undefined && { windowDays: deps.threadWindowDays }) });
  const detection = deps.detectLanguage(message.text);
  let decision = decideRoute(message, {
    now,
    domains: await deps.servedDomains.list(),
    defaults: { queueId: deps.settings.defaultQueueId, priority: deps.settings.defaultPriority },
    duplicate: { explanation: 'dry run: duplicates are not looked for' },
    thread,
    flows,
    templates,
    reference: referenceTokenFor(self ?? 'dry-run'),
    addressRoute: route,
    ...(detection.language && { language: detection.language }),
    languageExplanation: detection.explanation,
  });
  if (decision.kind === 'attach') return { trail: decision.trail, outcome: { disposition: 'attach', interactionId: decision.interactionId } };
  if (decision.kind !== 'queue') {
    return { trail: decision.trail, outcome: { disposition: decision.kind, reason: decision.reason, detail: decision.detail, tags: decision.tags } };
  }
  decision = await ensureQueueExists(decision, deps, now);
  const t = decision.target;
  return {
    trail: decision.trail,
    outcome: {
      disposition: 'queue',
      queueId: t.queueId,
      priority: t.priority,
      skills: t.skills,
      ...(t.language !== undefined && { language: t.language }),
      tags: decision.tags,
      ...(decision.autoAck && { acknowledgement: decision.autoAck }),
    },
  };
}

/** The route of the first served recipient that has one, as routing picks it. */
async function firstRoute(served: readonly string[], config: RoutingConfigSource): Promise<EmailAddressRoute | undefined> {
  for (const address of served) {
    const route = await config.addressRoute(address);
    if (route) return route;
  }
  return undefined;
}

/** The route with its routing replaced by the flow; without one, the first recipient routed to it. */
function withFlow(route: EmailAddressRoute | undefined, flowId: string, message: InboundMessage): EmailAddressRoute {
  if (route) return { ...route, routing: { kind: 'flow', flowId } };
  const address = message.recipients[0] ?? '';
  return { address, fromName: '', fromAddress: address, bcc: [], routing: { kind: 'flow', flowId }, createdAt: '', updatedAt: '' };
}
