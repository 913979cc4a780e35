/**
 * What ingest needs beyond the foundation's ports to route a message: the routing configuration
 * (address routes and compiled flows, cached by the adapter), the conversation store replies are
 * attached to, and language detection. Threading, the auto-acknowledgement limiter and the outbox
 * are in thread-ports.ts.
 */
import type { VerpBounceDeps } from '../outbound/verp-bounce.ts';
import type { TrailEntry } from '../interaction.ts';
import type { AttachmentMeta, BlobRef, MailAddress, Verdicts } from '../message.ts';
import type { CompiledFlow } from './flow-eval.ts';
import type { EmailAddressRoute } from './model.ts';
import type { AckTemplate } from './template.ts';
import type { AckLimiter, MessageDirection, ThreadIndex } from './thread-ports.ts';
import type { OutboxStore } from '../outbound/outbox.ts';
import type { OutboundNotifier } from '../outbound/outbound-ports.ts';

/** The routing configuration as routing reads it: per address, compiled flows and stored templates by id. */
export interface RoutingConfigSource {
  addressRoute(address: string): Promise<EmailAddressRoute | undefined>;
  /** The current version of a flow, compiled; undefined when it does not exist. */
  flow(id: string): Promise<CompiledFlow | undefined>;
  /** A stored auto-acknowledgement template; undefined when it does not exist. */
  template(id: string): Promise<AckTemplate | undefined>;
}

/** One further message of a conversation, kept beside its interaction. */
export interface ReplyRecord {
  readonly transportKey: string;
  readonly receivedAt: string;
  readonly mailFrom: string;
  readonly from?: MailAddress;
  readonly subject: string;
  readonly messageId?: string;
  readonly textPreview: string;
  /** At most ITEM_LIMITS.maxAttachmentsOnItem entries, like an interaction's. */
  readonly attachments: readonly AttachmentMeta[];
  /** Set when `attachments` was cut: how many the mail has. */
  readonly attachmentCount?: number;
  /** The full attachment list (JSON) in S3, when the parser stored one. */
  readonly attachmentsBlob?: BlobRef;
  readonly verdicts: Verdicts;
  readonly raw: BlobRef;
  /** `out` for what an agent sent (its outbox record `outboxId`); absent: received from the customer. */
  readonly direction?: MessageDirection;
  readonly outboxId?: string;
}

export interface ConversationStore {
  /**
   * Attaches `reply` to interaction `interactionId` and appends `trail` to it; idempotent per
   * transport key. A closed interaction is reopened: it waits in its queue again from `at`.
   * The trail stays within ITEM_LIMITS (its middle is cut, item-bounds.ts).
   * @returns `missing` when the interaction does not exist; `not-open` when it was disconnected or
   *   set aside (a reply to mail we never offered to an agent must not disappear with it); `full`
   *   when it took ITEM_LIMITS.maxRepliesPerInteraction replies already (the reply opens a new one)
   */
  attach(
    interactionId: string,
    reply: ReplyRecord,
    trail: readonly TrailEntry[],
    at: Date,
  ): Promise<'attached' | 'reopened' | 'missing' | 'not-open' | 'full'>;
}

/** Reads a conversation's further messages, oldest first, for agents and admins. */
export interface ConversationReader {
  /** At most {@link MAX_LISTED_REPLIES} replies. */
  listReplies(interactionId: string): Promise<readonly ReplyRecord[]>;
}

/** A conversation shown at once: longer ones are rare and the raw messages stay in S3. */
export const MAX_LISTED_REPLIES = 200;

/** The outcome of language detection: a language, or undetermined (`language` absent); either way why. */
export interface LanguageDetection {
  /** ISO 639-1 code, one of the organisation's languages; absent when undetermined. */
  readonly language?: string;
  /** For the trail: what was detected and how sure, or why nothing was. */
  readonly explanation: string;
}

/** Recorded as `detectedLanguage` when detection found no language (ISO 639-2 "undetermined"). */
export const UNDETERMINED_LANGUAGE = 'und';

export interface RoutingDeps {
  readonly config: RoutingConfigSource;
  readonly conversations: ConversationStore;
  readonly threads: ThreadIndex;
  readonly ackLimiter: AckLimiter;
  readonly outbox: OutboxStore;
  /** Tells the sender an acknowledgement is pending. @default none: the reconciler's sweep finds it within minutes */
  readonly notifier?: OutboundNotifier;
  /** The text's language among the organisation's, or undetermined, with the reason. */
  readonly detectLanguage: (text: string) => LanguageDetection;
  /** How long replies still join their interaction. @default 30 days */
  readonly threadWindowDays?: number;
  /** Bounces to VERP return paths (SMTP path, issue 11 item 5) go here first. @default none: routed like any mail */
  readonly verpBounces?: VerpBounceDeps;
}
