/**
 * The ports of the sender (issue 11): the outbox's state transitions, the transports (SES, SMTP),
 * the suppression list, the per-integration rate limit and the facts the route choice needs.
 * Core defines them; adapters implement them (DynamoDB, SES v2, nodemailer).
 */
import type { BlobRef } from '../message.ts';
import type { DeliveryEvent, OutboundRoute, OutboxFailure, OutboxRecord, OutboxState, OutboxStore } from './outbox.ts';
import type { SmtpIntegrationProblem } from './smtp-integration-status.ts';

/** What {@link OutboxTransitions.beginSending} found. */
export type BeginSending =
  | { readonly kind: 'begun'; readonly record: OutboxRecord }
  /** Another sender holds an unexpired lease: try again later. */
  | { readonly kind: 'busy'; readonly record: OutboxRecord }
  /** A lease ran out: the sender that held it crashed mid-send; mark it uncertain, never resend. */
  | { readonly kind: 'lease-expired'; readonly record: OutboxRecord }
  /** Already sent, failed or uncertain: nothing to do (a redelivery). */
  | { readonly kind: 'done'; readonly record: OutboxRecord }
  /** Held by an SMTP integration in error: nothing to do until it is reset. */
  | { readonly kind: 'held'; readonly record: OutboxRecord }
  | { readonly kind: 'missing' };

/** The sender's conditional writes on one `OUT#<id>` item (decision 7: one item, no transactions). */
export interface OutboxTransitions extends OutboxStore {
  /** pending (not held) -> sending with `leaseUntil = now + leaseMs`, attempts + 1. */
  beginSending(id: string, now: Date, leaseMs: number): Promise<BeginSending>;
  /** Records the composed MIME on a record this sender holds in `sending`. */
  recordRaw(id: string, raw: BlobRef, now: Date): Promise<void>;
  /** sending -> sent. */
  markSent(id: string, sent: { readonly route: OutboundRoute; readonly providerMessageId: string }, now: Date): Promise<void>;
  /** sending (or pending) -> failed, permanently. */
  markFailed(id: string, failure: OutboxFailure, route: OutboundRoute | undefined, now: Date): Promise<void>;
  /** sending -> pending after a transient failure (the queue retries with backoff); the failure is kept as the last error. */
  release(id: string, failure: OutboxFailure, now: Date): Promise<void>;
  /** sending or pending -> pending held by the SMTP integration `serverId` (in error). */
  hold(id: string, serverId: string, failure: OutboxFailure, now: Date): Promise<void>;
  /** A held pending record -> pending, unheld (its integration was reset); false when it was not held. Optional: stores without holds. */
  unhold?(id: string, now: Date): Promise<boolean>;
  /** sending with an expired lease -> uncertain. */
  markUncertain(id: string, now: Date): Promise<void>;
  /** An explicit resend of an uncertain or failed record: -> pending, same id and Message-ID. */
  resend(id: string, now: Date): Promise<OutboxRecord>;
  /** Appends a delivery event (bounded, newest kept); unknown ids are ignored. */
  recordDelivery(id: string, event: DeliveryEvent): Promise<void>;
  /** Ids of the pending records held by the integration `serverId`, oldest first. */
  listHeld(serverId: string): Promise<string[]>;
  /** Unheld pending records created before `olderThan` and sending records whose lease ran out (the sweep). */
  listStale(olderThan: Date, now: Date): Promise<OutboxRecord[]>;
  /** Newest first, optionally by state and interaction. */
  list(filter: { readonly state?: OutboxState; readonly interactionId?: string; readonly limit?: number; readonly cursor?: string }): Promise<{ readonly records: OutboxRecord[]; readonly cursor?: string }>;
}

/** Tells the sender a record is pending (an SQS message `{ outboxId }` on the outbound queue). */
export interface OutboundNotifier {
  notify(outboxIds: readonly string[], delaySeconds?: number): Promise<void>;
}

/** The envelope of one send: the return path and every recipient. */
export interface OutboundEnvelope {
  /** MAIL FROM / Return-Path: the From address on SES, a VERP address on the SMTP path. */
  readonly returnPath: string;
  readonly recipients: readonly string[];
}

/**
 * A transport hands one composed message to its provider. Throws TransientError (retried with
 * backoff: throttling, 4xx, connection reset), PermanentError (the record fails: 5xx, rejected or
 * invalid recipient) or {@link IntegrationFault} (the SMTP integration goes to error and holds).
 */
export interface OutboundTransport {
  send(route: OutboundRoute, raw: BlobRef, envelope: OutboundEnvelope, record: OutboxRecord): Promise<{ readonly providerMessageId: string }>;
}

/**
 * An SMTP integration cannot send at all (authentication failed, repeated 5xx): the integration is
 * set to `error` and the record is held, never failed for that reason (issue 11 item 5).
 */
export class IntegrationFault extends Error {
  constructor(
    readonly serverId: string,
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'IntegrationFault';
  }
}

/** One suppressed recipient (hard bounce or complaint), listable and liftable by an admin. */
export interface Suppression {
  readonly address: string;
  readonly reason: 'bounce' | 'complaint' | 'manual';
  readonly detail: string;
  readonly at: string;
  /** The outbox record whose feedback suppressed it. */
  readonly outboxId?: string;
  /** Who suppressed it by hand (`manual`): the admin's user name, or the IAM ARN of a CLI caller. */
  readonly addedBy?: string;
}

export interface SuppressionList {
  /** The suppressed ones among `addresses` (lower-case compare). */
  find(addresses: readonly string[]): Promise<Suppression[]>;
  add(suppression: Suppression): Promise<void>;
  remove(address: string): Promise<'removed' | 'missing'>;
  list(options: { readonly limit?: number; readonly cursor?: string }): Promise<{ readonly suppressions: Suppression[]; readonly cursor?: string }>;
}

/** The sending state of one SMTP integration (a registry SMTP server used for sending). */
export interface SmtpIntegration {
  /** The registry server's id. */
  readonly serverId: string;
  readonly name: string;
  readonly enabled: boolean;
  /** Lower-case: the server's user and its additional sender addresses (seed 002 step 9). */
  readonly senders: readonly string[];
  readonly role: 'agent' | 'template';
  /** The sending state: `error` holds its sends until the server is saved again (OUT-5). */
  readonly state: 'valid' | 'error';
  readonly lastError?: OutboxFailure;
  readonly messagesPerMinute: number;
  /** Why it is not ok (smtp-integration-status.ts), e.g. the failed connection test that disabled its server; absent when ok. */
  readonly problem?: SmtpIntegrationProblem;
}

/** What the route choice needs to know (issue 11 item 3). */
export interface RouteFacts {
  /** Whether the From address's domain is verified for sending in SES (cached briefly). */
  readonly sesVerified: boolean;
  /** The enabled SMTP integrations. */
  readonly integrations: readonly SmtpIntegration[];
}

/** Takes one message's slot of an integration's messages-per-minute budget, across all senders. */
export interface SendRateLimiter {
  /** 0 when a slot was taken; else the milliseconds until one frees up. */
  acquire(serverId: string, messagesPerMinute: number, now: Date): Promise<number>;
}

/**
 * Builds a record's MIME once (headers from the record, bodies and attachments from S3), stores it
 * at `outbound/<id>.eml` and answers where. Bcc and hidden Bcc never appear in the headers.
 * Throws PermanentError `message-too-large` over 40 MB encoded.
 */
export interface OutboundComposer {
  compose(record: OutboxRecord): Promise<BlobRef>;
}

/** Whether a domain is verified for sending in SES (the domains issue's state, cached briefly). */
export interface SendingDomainCheck {
  isVerifiedForSending(domain: string): Promise<boolean>;
}

/** The SMTP integrations and their sending state (`SMTPI#<serverId>` over the registry's SMTP servers). */
export interface SmtpIntegrationDirectory {
  /** Every SMTP integration (enabled or not), with its sending state. */
  list(): Promise<SmtpIntegration[]>;
  /** Sets the integration to `error` with the failure (an authentication failure, repeated 5xx). */
  setError(serverId: string, failure: OutboxFailure): Promise<void>;
}
