/**
 * The routing configuration model (issue "Routing"; seed purecloud-org-email-domain.ja.txt):
 * e-mail address routes with their queue/flow routing and spam routing, and agents.
 * Validated at the edge (API schemas); core receives these typed values and trusts them.
 */

/** Where mail waits: a queue, with the ACD skills, language and priority it requires. */
export interface QueueTarget {
  readonly kind: 'queue';
  readonly queueId: string;
  /** Every skill is required of the agent who takes it. */
  readonly skills: readonly string[];
  /** ISO 639-1 code (`en`, `de`, `ja`); the agent must speak it. */
  readonly language?: string;
  readonly priority: number;
}

/** All non-spam mail of an address goes to a queue, always to a flow, or (outbound-only) nowhere. */
export type AddressRouting = QueueTarget | { readonly kind: 'flow'; readonly flowId: string } | { readonly kind: 'none' };

/** What happens to mail detected as spam: a flow decides, or it is disconnected (recorded, not kept waiting). */
export type SpamRouting = { readonly kind: 'flow'; readonly flowId: string } | { readonly kind: 'disconnect' };

/** At most 5 fixed BCC recipients per address (seed: agents never see or remove them). */
export const MAX_ADDRESS_BCC = 5;

export interface EmailAddressRoute {
  /** Lower-case; on one of the organisation's domains. */
  readonly address: string;
  /** Shown to customers when agents reply. */
  readonly fromName: string;
  /** Must be a configured address of the organisation. */
  readonly fromAddress: string;
  /** Overrides the reply-to customers see on replies. */
  readonly replyTo?: string;
  readonly bcc: readonly string[];
  readonly routing: AddressRouting;
  /** Unset: spam is treated like other mail of the address, after the guards. */
  readonly spamRouting?: SpamRouting;
  readonly createdAt: string;
  readonly updatedAt: string;
}
