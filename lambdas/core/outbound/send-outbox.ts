/**
 * The sender's core (issue 11 item 2; ARCHITECTURE.md decision 8): one outbox record, one attempt.
 * beginSending (a lease) -> suppression check -> route facts -> chooseRoute (recorded) -> hold when
 * the SMTP integration is in error -> rate limit -> compose once -> transport -> markSent.
 *
 * Why a crash can never cause a second send: only `pending -> sending` starts a send, and a record
 * left in `sending` (its sender died after the provider accepted it, before `sent` was written)
 * becomes `uncertain` when the next sender finds its lease expired; only an explicit resend sends
 * it again (with the same Message-ID and bytes).
 */
import { DeploymentError, PermanentError, PostroomError, TransientError } from '../errors.ts';
import { chooseRoute } from './route-choice.ts';
import { IntegrationFault, type OutboundComposer, type OutboundTransport, type OutboxTransitions, type SendingDomainCheck, type SendRateLimiter, type SmtpIntegrationDirectory, type SuppressionList } from './outbound-ports.ts';
import { envelopeRecipients, fromAddressOf, SENDING_LEASE_MS, type OutboundRoute, type OutboxFailure, type OutboxRecord, type OutboxState } from './outbox.ts';

/**
 * The failure reasons the sender writes on records (beside the transports' and composer's own
 * codes, `message-too-large` among them); the CLI shows them with the detail in words.
 */
export const SEND_FAILURE_REASONS = {
  /** No SES identity and no SMTP integration sends as the From address. */
  noRoute: 'no-route-for-sender',
  /** The template server does not send as this From address. */
  senderNotAllowed: 'sender-not-allowed',
  /** A recipient is on the suppression list (hard bounce, complaint, or an admin). */
  recipientSuppressed: 'recipient-suppressed',
  /** The queue gave up: the last receive before the DLQ. */
  retriesExhausted: 'retries-exhausted',
  /** Released to wait for the integration's messages-per-minute budget (not a failure; the last "error"). */
  rateLimited: 'rate-limited',
} as const;

/** The ports one send uses; `returnPathFor` gives the envelope sender (From on SES, VERP on SMTP). */
export interface SendOutboxDeps {
  readonly outbox: OutboxTransitions;
  readonly suppressions: SuppressionList;
  readonly sendingDomains: SendingDomainCheck;
  readonly integrations: SmtpIntegrationDirectory;
  readonly rateLimiter: SendRateLimiter;
  readonly composer: OutboundComposer;
  readonly transport: OutboundTransport;
  returnPathFor(route: OutboundRoute, record: OutboxRecord): string;
  /** @default SENDING_LEASE_MS (5 minutes) */
  readonly leaseMs?: number;
  /** The time of writes after slow steps (compose, send). @default () => the `now` given to sendOutbox */
  readonly clock?: () => Date;
}

/** What one attempt did; the handler maps it to the queue (delete, retry later, change visibility). */
export type SendOutcome =
  | { readonly kind: 'sent'; readonly route: OutboundRoute; readonly providerMessageId: string }
  | { readonly kind: 'failed'; readonly failure: OutboxFailure }
  | { readonly kind: 'held'; readonly serverId: string }
  /** A transient failure: released to pending; retry with backoff. */
  | { readonly kind: 'retry'; readonly failure: OutboxFailure }
  /** Released to pending until the integration's budget has a slot: retry after `waitMs`. */
  | { readonly kind: 'rate-limited'; readonly waitMs: number }
  /** Another sender holds a live lease: look again after `waitMs` (when the lease runs out). */
  | { readonly kind: 'busy'; readonly waitMs: number }
  /** A lease had expired: the record was marked uncertain, nothing was sent. */
  | { readonly kind: 'uncertain' }
  /** Nothing to do: already final, held, or unknown. */
  | { readonly kind: 'nothing'; readonly state?: OutboxState };

/**
 * One attempt at sending outbox record `id` at `now`. Never sends a record that is not `pending`
 * and unheld, and never twice for one `pending -> sending`.
 * @throws DeploymentError, and a permanent error of a lookup before composing (after releasing the
 *   record), so the queue retries and the DLQ keeps it;
 *   any error from markSent or an unknown error of the transport as it is, leaving the lease to
 *   expire into `uncertain` (the provider may have accepted the message)
 */
export async function sendOutbox(id: string, deps: SendOutboxDeps, now: Date): Promise<SendOutcome> {
  const clock = deps.clock ?? (() => now);
  const begun = await deps.outbox.beginSending(id, now, deps.leaseMs ?? SENDING_LEASE_MS);
  switch (begun.kind) {
    case 'missing':
      return { kind: 'nothing' };
    case 'done':
    case 'held':
      return { kind: 'nothing', state: begun.record.state };
    case 'busy':
      return { kind: 'busy', waitMs: Math.max(0, Date.parse(begun.record.leaseUntil ?? '') - now.getTime() || 0) };
    case 'lease-expired':
      await deps.outbox.markUncertain(id, now);
      return { kind: 'uncertain' };
  }
  const record = begun.record;
  let route: OutboundRoute | undefined;
  // True from the hand-over to the provider until it answered with a classified error: an error
  // then (markSent's, an unknown one) means it may have been accepted, so the record is left to
  // its lease, which expires into `uncertain`; never released into a second send.
  let mayHaveSent = false;
  // Only the composer and the transport judge the message itself; a permanent error of a lookup
  // (a refused read) says nothing about the message and must not fail it.
  let judging = false;
  try {
    const prepared = await prepare(record, deps, now);
    if (prepared.kind !== 'ready') return prepared;
    route = prepared.route;
    judging = true;
    const raw = record.raw ?? (await compose(record, deps, clock));
    const envelope = { returnPath: deps.returnPathFor(route, record), recipients: envelopeRecipients(record) };
    mayHaveSent = true;
    let sent: { readonly providerMessageId: string };
    try {
      sent = await deps.transport.send(route, raw, envelope, record);
    } catch (err) {
      if (!(err instanceof PostroomError || err instanceof IntegrationFault)) throw err;
      mayHaveSent = false;
      if (err instanceof IntegrationFault) return await holdFor(id, err.serverId, failureOf(err.reason, err.message, clock()), deps, true);
      throw err;
    }
    await deps.outbox.markSent(id, { route, providerMessageId: sent.providerMessageId }, clock());
    return { kind: 'sent', route, providerMessageId: sent.providerMessageId };
  } catch (err) {
    if (mayHaveSent) throw err;
    if (err instanceof DeploymentError || (!judging && err instanceof PermanentError) || !(err instanceof PermanentError || err instanceof TransientError)) {
      await deps.outbox.release(id, failureOf(codeOf(err), messageOf(err), clock()), clock());
      throw err;
    }
    const failure = failureOf(err.code, err.message, clock());
    if (err instanceof TransientError) {
      await deps.outbox.release(id, failure, clock());
      return { kind: 'retry', failure };
    }
    await deps.outbox.markFailed(id, failure, route, clock());
    return { kind: 'failed', failure };
  }
}

type Prepared = { readonly kind: 'ready'; readonly route: OutboundRoute } | Extract<SendOutcome, { kind: 'failed' | 'held' | 'rate-limited' }>;

/** Suppressions, route choice, the integration's state and budget: everything decided before composing. */
async function prepare(record: OutboxRecord, deps: SendOutboxDeps, now: Date): Promise<Prepared> {
  const suppressed = await deps.suppressions.find(envelopeRecipients(record));
  if (suppressed.length > 0) {
    const detail = `suppressed recipients: ${suppressed.map((s) => `${s.address} (${s.reason}${s.detail ? `: ${s.detail}` : ''})`).join(', ')}`;
    return fail(record.id, failureOf(SEND_FAILURE_REASONS.recipientSuppressed, detail, now), undefined, deps);
  }
  const from = fromAddressOf(record).toLowerCase();
  const [sesVerified, integrations] = await Promise.all([deps.sendingDomains.isVerifiedForSending(from.slice(from.lastIndexOf('@') + 1)), deps.integrations.list()]);
  const route = chooseRoute(from, record.purpose, { sesVerified, integrations });
  if (route.kind === 'none') return fail(record.id, failureOf(route.reason, route.detail, now), undefined, deps);
  if (route.kind === 'smtp') {
    const integration = integrations.find((i) => i.serverId === route.serverId)!;
    if (integration.state === 'error') {
      const why = integration.lastError ?? failureOf('integration-error', `the SMTP integration "${integration.name}" is in error`, now);
      return holdFor(record.id, route.serverId, why, deps, false, now);
    }
    const waitMs = await deps.rateLimiter.acquire(route.serverId, integration.messagesPerMinute, now);
    if (waitMs > 0) {
      const detail = `"${integration.name}" sends at most ${integration.messagesPerMinute} messages per minute; next slot at ${new Date(now.getTime() + waitMs).toISOString()}`;
      await deps.outbox.release(record.id, failureOf(SEND_FAILURE_REASONS.rateLimited, detail, now), now);
      return { kind: 'rate-limited', waitMs };
    }
  }
  return { kind: 'ready', route };
}

async function compose(record: OutboxRecord, deps: SendOutboxDeps, clock: () => Date) {
  const raw = await deps.composer.compose(record);
  // Recorded before the send, so that every retry and resend sends these very bytes.
  await deps.outbox.recordRaw(record.id, raw, clock());
  return raw;
}

async function fail(id: string, failure: OutboxFailure, route: OutboundRoute | undefined, deps: SendOutboxDeps): Promise<Prepared> {
  await deps.outbox.markFailed(id, failure, route, new Date(failure.at));
  return { kind: 'failed', failure };
}

/** Holds the record for the integration; on a fault of the integration itself, sets it to error first. */
async function holdFor(id: string, serverId: string, failure: OutboxFailure, deps: SendOutboxDeps, setError: boolean, at = new Date(failure.at)) {
  if (setError) await deps.integrations.setError(serverId, failure);
  await deps.outbox.hold(id, serverId, failure, at);
  return { kind: 'held' as const, serverId };
}

function failureOf(reason: string, detail: string, at: Date): OutboxFailure {
  return { reason, detail, at: at.toISOString() };
}

function codeOf(err: unknown): string {
  return err instanceof PostroomError ? err.code : 'sender-error';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The queue gave up on record `id` (its last receive before the DLQ): a pending record fails with
 * `retries-exhausted`. A held record keeps waiting for its integration (never failed for that), and
 * a record in `sending` is left to its lease (it may have gone out: the sweep makes it uncertain).
 * @returns `failed` when it was failed here, else `left`
 */
export async function giveUpOn(id: string, outbox: OutboxTransitions, now: Date, detail = 'the outbound queue gave up after its last retry'): Promise<'failed' | 'left'> {
  const record = await outbox.get(id);
  if (record?.state !== 'pending' || record.heldBy) return 'left';
  await outbox.markFailed(id, failureOf(SEND_FAILURE_REASONS.retriesExhausted, detail, now), record.route, now);
  return 'failed';
}
