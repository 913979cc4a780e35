/**
 * The outbox (ARCHITECTURE.md decision 8): every message Postroom sends is first a record here,
 * with a deterministic id and Message-ID, and the sender moves it pending -> sending -> sent or
 * failed by conditional writes. Routing enqueues acknowledgements; agents' replies, new mail and
 * agentless notifications are enqueued by the API; the sender Lambda reads them back.
 *
 * The hard case (issue 11 item 2): providers have no idempotency key, so a crash after the provider
 * accepted a message and before `sent` was written cannot be told apart from a crash before the
 * send. Rule: a record whose sending lease ran out becomes `uncertain`, is shown to the agent and
 * is never resent blindly; only an explicit resend (same Message-ID) sends it again.
 */
import { createHash } from 'node:crypto';
import type { BlobRef, MailAddress } from '../message.ts';

/**
 * - `pending`: waiting for the sender (also while held by an SMTP integration in error: `heldBy`)
 * - `sending`: a sender holds the lease (`leaseUntil`) and is talking to the provider
 * - `sent`: the provider accepted it (`providerMessageId`); delivery events follow in `delivery`
 * - `failed`: a permanent failure (`failure`), or retries exhausted
 * - `uncertain`: the lease ran out during a send: it may or may not have gone out; never resent blindly
 */
export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed' | 'uncertain';

/** Why an outbox record exists; part of its deterministic id. */
export type OutboxPurpose = 'auto-acknowledgement' | 'reply' | 'reply-all' | 'forward' | 'new' | 'notification';

/** How long a sender may hold a record in `sending` before it counts as crashed (uncertain). */
export const SENDING_LEASE_MS = 5 * 60_000;

/** A file sent with a message: uploaded to S3 before the send request (issue 11 item 1). */
export interface OutboundAttachment {
  readonly filename: string;
  readonly contentType: string;
  /** Decoded bytes. */
  readonly size: number;
  readonly blob: BlobRef;
}

/**
 * The way a record was (or will be) sent, recorded on the record (issue 11 item 3). An SMTP
 * integration is a registry SMTP server (`SRV#<serverId>`) with its sending settings and state
 * (`SMTPI#<serverId>`), so it is named by the server id.
 */
export type OutboundRoute =
  | { readonly kind: 'ses'; readonly identity: string; readonly reason: string }
  | { readonly kind: 'smtp'; readonly serverId: string; readonly reason: string };

/** Why a record failed, in words (`reason` is a code from core/error-reasons.ts). */
export interface OutboxFailure {
  readonly reason: string;
  readonly detail: string;
  readonly at: string;
}

/** One delivery event per recipient (SES events, or a DSN on the SMTP path). */
export interface DeliveryEvent {
  readonly recipient: string;
  readonly status: 'delivered' | 'bounced' | 'complained' | 'rejected' | 'delayed';
  readonly at: string;
  /** Bounce type / diagnostic code, in words. */
  readonly detail: string;
}

/** One message waiting to be sent or sent (decision 8); the sender Lambda moves its state on. */
export interface OutboxRecord {
  /** Deterministic: {@link outboxIdFor}(interactionId, purpose) or {@link outboxIdForRequest}. */
  readonly id: string;
  /** Absent for new e-mail and notifications that belong to no interaction. */
  readonly interactionId?: string;
  readonly purpose: OutboxPurpose;
  /** Who asked: an agent id, or `routing` for acknowledgements, or `admin` for the CLI's sends. */
  readonly requestedBy?: string;
  /** Normalized addresses (lower-case domain, IDN as punycode). Legacy acknowledgements: strings. */
  readonly to: readonly (MailAddress | string)[];
  readonly cc?: readonly MailAddress[];
  /** Visible to the sender (agent-entered). */
  readonly bcc?: readonly MailAddress[];
  /** The address route's fixed BCC: sent to, never shown to agents, never removable. */
  readonly hiddenBcc?: readonly string[];
  /** The From address (legacy acknowledgements: a bare address string). */
  readonly from: MailAddress | string;
  readonly replyTo?: MailAddress;
  readonly subject: string;
  /** The text body; for large bodies only a preview, the whole in `textBlob`. */
  readonly text?: string;
  readonly textBlob?: BlobRef;
  readonly html?: string;
  readonly htmlBlob?: BlobRef;
  readonly attachments?: readonly OutboundAttachment[];
  readonly inReplyTo?: string;
  readonly references: readonly string[];
  /** Built with `buildOutgoingMessageId` (core/routing/reference-token.ts), so the reply threads back by Message-ID and token. */
  readonly messageId: string;
  /** The composed MIME in S3 once composed (compose once; every retry sends the same bytes). */
  readonly raw?: BlobRef;
  /** Template notifications: which template, for the record's trail. */
  readonly templateId?: string;
  readonly state: OutboxState;
  readonly createdAt: string;
  readonly updatedAt?: string;
  /** Send attempts begun (each `pending -> sending`). */
  readonly attempts?: number;
  /** While `sending`: when the lease runs out (ISO). */
  readonly leaseUntil?: string;
  /** Set while an SMTP integration in error holds this pending record: its server id. */
  readonly heldBy?: string;
  readonly route?: OutboundRoute;
  readonly providerMessageId?: string;
  readonly sentAt?: string;
  readonly failure?: OutboxFailure;
  /** Bounded (newest kept); see OUTBOX_LIMITS. */
  readonly delivery?: readonly DeliveryEvent[];
}

/** What the enqueuer writes; the store adds state and times. */
export type NewOutboxRecord = Omit<
  OutboxRecord,
  'state' | 'createdAt' | 'updatedAt' | 'attempts' | 'leaseUntil' | 'heldBy' | 'route' | 'providerMessageId' | 'sentAt' | 'failure' | 'delivery'
>;

/** The outbox: records are written once (idempotent by id) and read back by the sender. */
export interface OutboxStore {
  /** Conditional put in state `pending`; `exists` when a record with this id was enqueued before. */
  enqueue(record: NewOutboxRecord, at: Date): Promise<'enqueued' | 'exists'>;
  get(id: string): Promise<OutboxRecord | undefined>;
}

/**
 * The outbox record id of one message an interaction sends for one purpose: `o-` and 20 hex digits
 * of sha256. Why deterministic: a retried ingest computes the same id, so its conditional put finds
 * the first record and the customer never gets two acknowledgements.
 */
export function outboxIdFor(interactionId: string, purpose: OutboxPurpose): string {
  return `o-${createHash('sha256').update(`${interactionId}\n${purpose}`).digest('hex').slice(0, 20)}`;
}

/**
 * The outbox record id of a send request (agent reply, new e-mail, notification): `o-` and 20 hex
 * digits of sha256 of who asked and the client's request id (an idempotency key the API accepts
 * or generates). Why: a client that retries a timed-out POST with the same request id gets the
 * same record, not a second mail.
 */
export function outboxIdForRequest(requestedBy: string, requestId: string): string {
  return `o-${createHash('sha256').update(`request\n${requestedBy}\n${requestId}`).digest('hex').slice(0, 20)}`;
}

/**
 * The unique part of the Message-ID of an outbox record: 26 hex digits of sha256 of its id. Why
 * derived: a resend carries the very same Message-ID. It is as hard to guess as the interaction
 * id it comes from, which customers never see.
 */
export function outboxMessageIdUnique(outboxId: string): string {
  return createHash('sha256').update(`postroom-outbox-message-id\n${outboxId}`).digest('hex').slice(0, 26);
}

/** The From address of a record as a bare address (legacy records store a string). */
export function fromAddressOf(record: Pick<OutboxRecord, 'from'>): string {
  return typeof record.from === 'string' ? record.from : record.from.address;
}

/** Every envelope recipient of a record (to, cc, bcc, hidden bcc), de-duplicated, in order. */
export function envelopeRecipients(record: Pick<OutboxRecord, 'to' | 'cc' | 'bcc' | 'hiddenBcc'>): string[] {
  const all = [
    ...record.to.map((a) => (typeof a === 'string' ? a : a.address)),
    ...(record.cc ?? []).map((a) => a.address),
    ...(record.bcc ?? []).map((a) => a.address),
    ...(record.hiddenBcc ?? []),
  ];
  return [...new Set(all.map((a) => a.toLowerCase()))];
}
