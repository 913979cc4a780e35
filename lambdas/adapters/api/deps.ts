/**
 * What the API's routes read from and write to: core's ports, so any backend serves (the Lambdas,
 * the local runtime and the tests wire different ones into the same routes).
 */
import type { CallerResolver } from '../../core/access/caller.ts';
import type { AcdDeps } from '../../core/agents/ports.ts';
import type { UserDirectory } from '../../core/access/user-directory.ts';
import type { DomainService } from '../../core/domains/domain-service.ts';
import type { ServedDomains } from '../../core/domains/domain.ts';
import type { MailServerService } from '../../core/mailboxes/server-service.ts';
import type { InteractionStore, QueueStore } from '../../core/ports.ts';
import type { ConversationReader, ConversationStore } from '../../core/routing/routing-ports.ts';
import type { OutboundNotifier, OutboxTransitions, SendingDomainCheck, SmtpIntegrationDirectory, SuppressionList } from '../../core/outbound/outbound-ports.ts';
import type { ThreadIndex } from '../../core/routing/thread-ports.ts';
import type { OutboundFiles } from '../content/outbound-files.ts';
import type { AddressRouteStore, FlowStore } from '../../core/routing/config-ports.ts';
import type { TemplateStore } from '../../core/routing/ack-template.ts';
import type { MailContent } from '../content/mail-content.ts';
import type { ApiLog } from './errors.ts';
import type { DeadLetterApiDeps } from './routes/dead-letters.ts';
import type { OAuth2ApiDeps } from './routes/oauth2.ts';
import type { SmtpIntegrationsApi } from './routes/smtp-integrations.ts';
import type { SearchDeps } from '../../core/search.ts';
import type { DeploymentSettings } from '../../core/deployment-settings.ts';
import type { LanguageDetection } from '../../core/routing/routing-ports.ts';

/** What the API reads from; the stores are core's ports, so any backend serves. */
export interface ApiDeps {
  /**
   * Who is calling (issue 12): verifies each request's credentials (a bearer token, or the IAM
   * principal of the Lambda event). Every route but the open ones requires a verified caller.
   */
  readonly callers: CallerResolver;
  readonly interactions: InteractionStore;
  /** Replies attached to interactions; without it interactions are shown without them. */
  readonly conversations?: ConversationReader;
  readonly queues: QueueStore;
  /** The clock live scores and ages are computed with. */
  readonly now: () => Date;
  /** Where unexpected failures are logged in full; defaults to a JSON line on stderr. */
  readonly log?: ApiLog;
  /** Routing configuration (address routes, flows); without it those routes are not served. */
  readonly routingConfig?: RoutingConfigDeps;
  /** Agents, queue administration and claims (`next`, release, transfer, close); without it those routes are not served. */
  readonly acd?: AcdDeps;
  /** Stored mail (full bodies, attachments, raw .eml) for readers; without it those routes are not served. */
  readonly content?: MailContent;
  /** Dead letters of the inbound path (list, show, redrive); without it those routes are not served. */
  readonly deadLetters?: DeadLetterApiDeps;
  /** The e-mail domain registry (add, remove, records, check); without it those routes are not served. */
  readonly domains?: DomainService;
  /** The mail server registry (POP3, IMAP, SMTP servers); without it those routes are not served. */
  readonly mailServers?: MailServerService;
  /** OAuth2 consent of mail servers (consent URL, callback); without it those routes are not served. */
  readonly oauth2?: OAuth2ApiDeps;
  /** The outbox's suppression list (list, lift); without it those routes are not served. */
  readonly suppressions?: SuppressionList;
  /** SMTP integrations (sending settings and state of the registry's SMTP servers); without it those routes are not served. */
  readonly smtpIntegrations?: SmtpIntegrationsApi;
  /** The console's users (Cognito deployed, the runtime's own directory locally); without it those routes are not served. */
  readonly users?: UserDirectory;
  /** The interaction search (sender, token, subject; core/search.ts); without it `GET /interactions` is not served. */
  readonly search?: SearchApiDeps;
  /** What the flow dry run decides with beside the routing config (served with it; app.ts); without it not served. */
  readonly flowDryRun?: FlowDryRunApiDeps;
  /** Sending (uploads, reply, send) and the outbox; served with `routingConfig` only (From comes from address routes). */
  readonly outbound?: OutboundApiDeps;
}

/** What the sending and outbox routes need (issue 11 item 1). */
export interface OutboundApiDeps {
  readonly outbox: Pick<OutboxTransitions, 'enqueue' | 'get' | 'list' | 'resend'>;
  /** Tells the sender a record is pending (the outbound queue). */
  readonly notifier: OutboundNotifier;
  /** Suppressed recipients are refused before anything is enqueued. */
  readonly suppressions: SuppressionList;
  /** With the integrations: the route check (no route for the sender is refused before enqueueing). */
  readonly sendingDomains: SendingDomainCheck;
  readonly integrations: SmtpIntegrationDirectory;
  /** Uploads (presigned PUTs) and large bodies. */
  readonly files: OutboundFiles;
  /** Replies join the conversation and the thread index (the customer's answer threads by In-Reply-To). */
  readonly conversations: ConversationStore & ConversationReader;
  readonly threads: Pick<ThreadIndex, 'record'>;
  /** Where the sender stores composed messages (`outbound/<id>.eml`). */
  readonly mailBucket: string;
}

/** The stores and facts the address, flow and template routes need. */
export interface RoutingConfigDeps {
  readonly addresses: AddressRouteStore;
  readonly flows: FlowStore;
  /** Stored auto-acknowledgement templates that flows name by id. */
  readonly templates: TemplateStore;
  /** The organisation's served mail domains (the domain store): addresses must be on one of them. */
  readonly servedDomains: ServedDomains;
}

/** What the search route reads beside the interactions: the search index and the token look-up. */
export type SearchApiDeps = Pick<SearchDeps, 'index' | 'tokens'>;

/** The routing facts a flow dry run needs that the API has nowhere else: settings, language detection, thread look-ups. */
export interface FlowDryRunApiDeps {
  readonly settings: DeploymentSettings;
  readonly detectLanguage: (text: string) => LanguageDetection;
  readonly threads: Pick<ThreadIndex, 'lookup' | 'lookupTokens'>;
  /** @default 30 days, as routing */
  readonly threadWindowDays?: number;
}
