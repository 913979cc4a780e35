/**
 * The API's answers as the workspace reads them (lambdas/adapters/api/views.ts and routes/*): only
 * the fields the workspace shows. The browser bundle does not import the server's types (the
 * dependency rules keep lambdas/ out of it), so these mirror them.
 */

export interface MailAddress {
  readonly address: string;
  readonly name?: string;
}

/** GET /queues: one queue with its waiting count. */
export interface QueueView {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly waiting: number;
}

/** GET /queues/:id/interactions: one waiting interaction. */
export interface QueueEntryView {
  readonly id: string;
  readonly subject: string;
  readonly enqueuedAt: string;
  readonly ageMinutes: number;
  readonly priority: number;
  readonly score: number;
}

export interface AttachmentMeta {
  readonly filename?: string;
  readonly contentType: string;
  readonly size: number;
  readonly inline: boolean;
}

export interface TrailEntry {
  readonly at: string;
  readonly step: string;
  readonly detail: string;
}

export type InteractionState = 'waiting' | 'claimed' | 'closed' | 'quarantined' | 'disconnected' | 'set-aside';

/** GET /interactions/:id's `interaction` and the lists' items. */
export interface InteractionView {
  readonly id: string;
  readonly state: InteractionState;
  readonly createdAt: string;
  readonly queueId?: string;
  readonly agentId?: string;
  readonly claimedAt?: string;
  readonly closedAt?: string;
  readonly language?: string;
  readonly detectedLanguage?: string;
  readonly replyCount?: number;
  readonly lastMessageAt?: string;
  /**
   * Claimed ones only: the customer wrote after the agent's latest reply (or after the claim when
   * nothing was sent since), as lambdas/core/agents/customer-replied.ts derives it on the server.
   */
  readonly customerReplied?: boolean;
  readonly message: {
    readonly receivedAt: string;
    readonly mailFrom: string;
    readonly recipients: readonly string[];
    readonly messageId?: string;
    readonly subject: string;
    readonly from?: MailAddress;
    readonly to: readonly MailAddress[];
    readonly cc: readonly MailAddress[];
    readonly date?: string;
    readonly textPreview: string;
    readonly attachments: readonly AttachmentMeta[];
  };
  readonly trail: readonly TrailEntry[];
}

/** A further message of the conversation: `direction: 'out'` is an agent's reply. */
export interface ReplyView {
  readonly transportKey: string;
  readonly receivedAt: string;
  readonly mailFrom: string;
  readonly from?: MailAddress;
  readonly subject: string;
  readonly messageId?: string;
  readonly textPreview: string;
  readonly attachments: readonly AttachmentMeta[];
  readonly direction?: 'in' | 'out';
  readonly outboxId?: string;
}

export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed' | 'uncertain';

export interface DeliveryEvent {
  readonly recipient: string;
  readonly status: 'delivered' | 'bounced' | 'complained' | 'rejected' | 'delayed';
  readonly at: string;
  readonly detail: string;
}

/** What the interaction sent (acknowledgement, replies) with its state and delivery events. */
export interface OutboxSummary {
  readonly id: string;
  readonly purpose: 'auto-acknowledgement' | 'reply' | 'reply-all' | 'forward' | 'new' | 'notification';
  readonly state: OutboxState;
  readonly subject: string;
  readonly createdAt: string;
  readonly sentAt?: string;
  readonly route?: string;
  readonly failure?: { readonly reason: string; readonly detail: string; readonly at: string };
  readonly delivery?: readonly DeliveryEvent[];
}

/** GET /interactions/:id. */
export interface InteractionDetail {
  readonly interaction: InteractionView;
  readonly replies: readonly ReplyView[];
  readonly outbox?: readonly OutboxSummary[];
}

/** GET /interactions/:id/content. */
export interface InteractionContent {
  readonly id: string;
  readonly subject: string;
  readonly from?: MailAddress;
  readonly date?: string;
  readonly text: string;
  readonly textTruncated: boolean;
  readonly html?: string;
  readonly htmlTruncated?: boolean;
  readonly images: { readonly remote: 'shown' | 'blocked'; readonly blocked: number };
  readonly csp: string;
  readonly attachments: readonly (AttachmentMeta & { readonly index: number })[];
}

/** GET /templates: a stored template (plain text, `{{placeholders}}`). */
export interface TemplateView {
  readonly id: string;
  readonly name: string;
  readonly subject: string;
  readonly body: string;
}

/** GET /addresses: an address route (what replies are sent as). */
export interface AddressRouteView {
  readonly address: string;
  readonly fromName: string;
  readonly fromAddress: string;
  readonly replyTo?: string;
  /** The fixed BCC; left out for agents, who may not learn it (seed 001). */
  readonly bcc?: readonly string[];
}

/** POST /uploads: where to PUT the file. */
export interface UploadTicket {
  readonly uploadId: string;
  readonly url: string;
  readonly method: 'PUT';
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: string;
}
