/**
 * The interaction: one customer e-mail conversation as the contact center works it.
 */
import type { QuarantineReason } from './errors.ts';
import type {
  AttachmentMeta,
  BlobRef,
  MailAddress,
  TransportIdentity,
  Verdicts,
} from './message.ts';

/**
 * - `waiting`: in a queue, ordered by score
 * - `claimed`: an agent took it (`agentId`)
 * - `closed`: done
 * - `quarantined`: set aside because it could not be processed (`quarantine.reason`)
 * - `disconnected`: spam or virus mail, recorded but not offered to agents (`disposition`)
 * - `set-aside`: an auto-reply, bounce or list mail that matched no interaction (`disposition`)
 */
export type InteractionState = 'waiting' | 'claimed' | 'closed' | 'quarantined' | 'disconnected' | 'set-aside';

/** One step of the trail that explains why an interaction is where it is. */
export interface TrailEntry {
  readonly at: string;
  readonly step: string;
  readonly detail: string;
}

/** The message facts an interaction keeps; bodies and attachments stay in S3. */
export interface InteractionMessage {
  readonly transport: TransportIdentity;
  readonly receivedAt: string;
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  readonly messageId?: string;
  readonly inReplyTo?: string;
  readonly references: readonly string[];
  readonly subject: string;
  readonly from?: MailAddress;
  readonly to: readonly MailAddress[];
  readonly cc: readonly MailAddress[];
  readonly date?: string;
  readonly textPreview: string;
  readonly html?: string;
  readonly textBlob?: BlobRef;
  readonly htmlBlob?: BlobRef;
  /** At most ITEM_LIMITS.maxAttachmentsOnItem entries; see `attachmentCount` and `attachmentsBlob`. */
  readonly attachments: readonly AttachmentMeta[];
  /** Set when `attachments` was cut: how many the mail has. */
  readonly attachmentCount?: number;
  /** The full attachment list (JSON) in S3, when the parser stored one. */
  readonly attachmentsBlob?: BlobRef;
  readonly verdicts: Verdicts;
  readonly raw: BlobRef;
}

export interface Interaction {
  readonly id: string;
  readonly channel: 'email';
  readonly state: InteractionState;
  readonly createdAt: string;
  /** Set while waiting in a queue. */
  readonly queueId?: string;
  readonly priority: number;
  readonly skills: readonly string[];
  readonly language?: string;
  readonly enqueuedAt?: string;
  /** Decision 6: `enqueuedAtMinutes - priority`, smaller is served first. */
  readonly orderKey?: number;
  readonly quarantine?: { readonly reason: QuarantineReason; readonly detail: string };
  /** Why a `disconnected` or `set-aside` interaction is not offered to agents. */
  readonly disposition?: { readonly reason: string; readonly detail: string };
  readonly agentId?: string;
  readonly claimedAt?: string;
  readonly closedAt?: string;
  readonly tags?: readonly string[];
  /** The language detected in the body (ISO 639-1), for flows and reports; `language` is the requirement. */
  readonly detectedLanguage?: string;
  /** Further messages of the conversation (replies, probable duplicates) attached to it. */
  readonly replyCount?: number;
  readonly lastMessageAt?: string;
  readonly message: InteractionMessage;
  readonly trail: readonly TrailEntry[];
}

/** What a queue list shows for one waiting interaction. */
export interface QueueEntry {
  readonly id: string;
  readonly queueId: string;
  readonly from?: MailAddress;
  readonly subject: string;
  readonly enqueuedAt: string;
  readonly priority: number;
  readonly orderKey: number;
}
