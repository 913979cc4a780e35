/**
 * What ingest needs and what it answers, apart from ingest itself, so that routing (which ingest
 * calls) can name them without importing ingest back (no import cycle).
 */
import type { QuarantineReason } from './errors.ts';
import type { IngestLedger, InteractionStore, MessageParser, QueueStore } from './ports.ts';
import type { DeploymentSettings } from './deployment-settings.ts';
import type { ServedDomains } from './domains/domain.ts';
import type { RoutingDeps } from './routing/routing-ports.ts';

/** The stores, parser, deployment settings and routing ports ingest runs with. */
export interface IngestDeps {
  readonly ledger: IngestLedger;
  readonly interactions: InteractionStore;
  /** Routing never enqueues into a queue that is gone or being removed. */
  readonly queues: Pick<QueueStore, 'get'>;
  readonly parser: MessageParser;
  readonly settings: DeploymentSettings;
  /** The domains mail is accepted for, as data: a recipient on none of them is not served. */
  readonly servedDomains: ServedDomains;
  readonly routing: RoutingDeps;
  readonly now: () => Date;
}

/** The one outcome of an ingested message. */
export type IngestOutcome =
  | { readonly outcome: 'queued'; readonly interactionId: string; readonly queueId: string }
  | { readonly outcome: 'attached'; readonly interactionId: string }
  | { readonly outcome: 'disconnected' | 'set-aside'; readonly interactionId: string; readonly reason: string }
  | { readonly outcome: 'quarantined'; readonly interactionId: string; readonly reason: QuarantineReason }
  | { readonly outcome: 'duplicate'; readonly interactionId: string };
