/**
 * The shapes the supervisor view reads, as the API answers them (lambdas/adapters/api/views.ts and
 * the routes named beside each): the fields this view shows. Written out here rather than imported
 * from lambdas/core, whose modules need Node's types; the API's answers carry more fields.
 */

/** A mail address with its display name. */
export interface MailAddress {
  readonly address: string;
  readonly name?: string;
}

/** `GET /agents`: an agent and the queues it takes work from. */
export interface Agent {
  readonly id: string;
  readonly name: string;
  readonly skills: readonly string[];
  readonly languages: readonly string[];
  readonly queues: readonly string[];
  readonly createdAt: string;
}

/** `GET /interactions/:id`, the claims and every action answer an interaction (the fields shown here). */
export interface InteractionView {
  readonly id: string;
  readonly state: 'waiting' | 'claimed' | 'closed' | 'quarantined' | 'disconnected' | 'set-aside';
  readonly createdAt: string;
  readonly queueId?: string;
  readonly priority: number;
  readonly agentId?: string;
  readonly claimedAt?: string;
  readonly closedAt?: string;
  readonly lastMessageAt?: string;
  /** Claimed ones only: the customer wrote since the agent's latest reply or claim (core's signal). */
  readonly customerReplied?: boolean;
  readonly message: { readonly subject: string; readonly from?: MailAddress; readonly mailFrom: string; readonly receivedAt: string };
  /** While waiting: its live score and whole minutes waited. */
  readonly score?: number;
  readonly ageMinutes?: number;
}

/** `GET /queues`: one queue with its waiting count. */
export interface QueueSummary {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly waiting: number;
}

/** `GET /queues/:id/interactions`: one waiting interaction with its live score. */
export interface WaitingEntry {
  readonly id: string;
  readonly from?: MailAddress;
  readonly subject: string;
  readonly enqueuedAt: string;
  readonly ageMinutes: number;
  readonly priority: number;
  readonly score: number;
}

/** `GET /quarantine`: what was set aside and why. */
export interface QuarantinedView {
  readonly id: string;
  readonly from?: MailAddress;
  readonly mailFrom: string;
  readonly recipients: readonly string[];
  readonly subject: string;
  readonly receivedAt: string;
  readonly quarantine: { readonly reason: string; readonly detail: string };
}

/** `GET /disposed`: disconnected (spam, virus) and set-aside (automatic) mail. */
export interface DisposedView extends Omit<QuarantinedView, 'quarantine'> {
  readonly state: string;
  readonly disposition: { readonly reason: string; readonly detail: string };
}

/** `GET /dead-letters`: a dead letter without its body (core/dead-letters.ts). */
export interface DeadLetterSummary {
  readonly id: string;
  readonly state: 'dead' | 'redriven';
  readonly deadLetteredAt: string;
  readonly receiveCount: number;
  readonly interactionId?: string;
  readonly reason: { readonly code: string; readonly message: string; readonly attempts?: number; readonly at?: string };
  readonly redrivenAt?: string;
}

/** A page of a paged list: the next page's cursor when there is one. */
export interface Paged {
  readonly cursor?: string;
}
