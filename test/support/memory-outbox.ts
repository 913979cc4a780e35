/**
 * In-memory stand-ins for the sender's ports (issue 11), with the DynamoDB store's semantics
 * (outbox-store.ts) for the transitions: every transition checks the state it starts from, so
 * unit tests of the sender see the same races and refusals the store gives.
 */
import { ConflictError, NotFoundError } from '../../lambdas/core/errors.ts';
import type { BlobRef } from '../../lambdas/core/message.ts';
import type {
  BeginSending,
  OutboundComposer,
  OutboundEnvelope,
  OutboundNotifier,
  OutboundTransport,
  OutboxTransitions,
  SendingDomainCheck,
  SendRateLimiter,
  SmtpIntegration,
  SmtpIntegrationDirectory,
  Suppression,
  SuppressionList,
} from '../../lambdas/core/outbound/outbound-ports.ts';
import type { DeliveryEvent, NewOutboxRecord, OutboundRoute, OutboxFailure, OutboxRecord, OutboxState } from '../../lambdas/core/outbound/outbox.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** OutboxTransitions in a Map; `records` is open for assertions. */
export class MemoryOutbox implements OutboxTransitions {
  readonly records = new Map<string, Mutable<OutboxRecord>>();

  async enqueue(record: NewOutboxRecord, at: Date): Promise<'enqueued' | 'exists'> {
    if (this.records.has(record.id)) return 'exists';
    this.records.set(record.id, { ...structuredClone(record), state: 'pending', createdAt: at.toISOString() });
    return 'enqueued';
  }
  async get(id: string) {
    const r = this.records.get(id);
    return r && structuredClone(r);
  }
  async beginSending(id: string, now: Date, leaseMs: number): Promise<BeginSending> {
    const r = this.records.get(id);
    if (!r) return { kind: 'missing' };
    if (r.state === 'pending' && !r.heldBy) {
      Object.assign(r, { state: 'sending', leaseUntil: new Date(now.getTime() + leaseMs).toISOString(), attempts: (r.attempts ?? 0) + 1, updatedAt: now.toISOString() });
      return { kind: 'begun', record: structuredClone(r) };
    }
    const record = structuredClone(r);
    if (r.state === 'sending') return (r.leaseUntil ?? '') > now.toISOString() ? { kind: 'busy', record } : { kind: 'lease-expired', record };
    if (r.state === 'pending') return { kind: 'held', record };
    return { kind: 'done', record };
  }
  async recordRaw(id: string, raw: BlobRef, now: Date) {
    this.move(id, ['sending'], { raw, updatedAt: now.toISOString() });
  }
  async markSent(id: string, sent: { route: OutboundRoute; providerMessageId: string }, now: Date) {
    this.move(id, ['sending', 'uncertain'], { state: 'sent', ...sent, sentAt: now.toISOString(), leaseUntil: undefined });
  }
  async markFailed(id: string, failure: OutboxFailure, route: OutboundRoute | undefined, now: Date) {
    this.move(id, ['sending', 'pending'], { state: 'failed', failure, ...(route && { route }), leaseUntil: undefined, heldBy: undefined, updatedAt: now.toISOString() });
  }
  async release(id: string, failure: OutboxFailure, now: Date) {
    this.move(id, ['sending'], { state: 'pending', failure, leaseUntil: undefined, updatedAt: now.toISOString() });
  }
  async hold(id: string, serverId: string, failure: OutboxFailure, now: Date) {
    this.move(id, ['sending', 'pending'], { state: 'pending', heldBy: serverId, failure, leaseUntil: undefined, updatedAt: now.toISOString() });
  }
  async unhold(id: string, now: Date) {
    const r = this.records.get(id);
    if (r?.state !== 'pending' || !r.heldBy) return false;
    Object.assign(r, { heldBy: undefined, updatedAt: now.toISOString() });
    return true;
  }
  async markUncertain(id: string, now: Date) {
    const r = this.records.get(id);
    if (r?.state === 'sending' && (r.leaseUntil ?? '') < now.toISOString()) Object.assign(r, { state: 'uncertain', leaseUntil: undefined, updatedAt: now.toISOString() });
  }
  async resend(id: string, now: Date) {
    const r = this.records.get(id);
    if (!r) throw new NotFoundError('outbox.not-found', 'outbox record', id);
    if (r.state !== 'uncertain' && r.state !== 'failed') throw new ConflictError('outbox.not-resendable', `outbox record ${id} is ${r.state}`);
    Object.assign(r, { state: 'pending', providerMessageId: undefined, sentAt: undefined, updatedAt: now.toISOString() });
    return structuredClone(r);
  }
  async recordDelivery(id: string, event: DeliveryEvent) {
    const r = this.records.get(id);
    if (r) r.delivery = [...(r.delivery ?? []), event];
  }
  async listHeld(serverId: string) {
    return [...this.records.values()].filter((r) => r.state === 'pending' && r.heldBy === serverId).map((r) => r.id);
  }
  async listStale(olderThan: Date, now: Date) {
    return [...this.records.values()]
      .filter((r) => (r.state === 'pending' && !r.heldBy && r.createdAt < olderThan.toISOString()) || (r.state === 'sending' && (r.leaseUntil ?? '') < now.toISOString()))
      .map((r) => structuredClone(r));
  }
  async list(filter: { state?: OutboxState; interactionId?: string; limit?: number }) {
    const records = [...this.records.values()]
      .filter((r) => (!filter.state || r.state === filter.state) && (!filter.interactionId || r.interactionId === filter.interactionId))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, filter.limit ?? 50);
    return { records: records.map((r) => structuredClone(r)) };
  }
  private move(id: string, from: readonly OutboxState[], change: Partial<Mutable<OutboxRecord>>) {
    const r = this.records.get(id);
    if (!r) throw new NotFoundError('outbox.not-found', 'outbox record', id);
    if (!from.includes(r.state)) throw new ConflictError('outbox.state-changed', `outbox record ${id} is ${r.state}, not ${from.join(' or ')}`);
    Object.assign(r, change);
  }
}

/** A transport that records every send; `fail` decides per call what to throw instead. */
export class RecordingTransport implements OutboundTransport {
  readonly sends: { route: OutboundRoute; raw: BlobRef; envelope: OutboundEnvelope; record: OutboxRecord }[] = [];
  fail?: (call: number) => Error | undefined;
  calls = 0;
  async send(route: OutboundRoute, raw: BlobRef, envelope: OutboundEnvelope, record: OutboxRecord) {
    const error = this.fail?.(++this.calls);
    if (error) throw error;
    this.sends.push({ route, raw, envelope, record });
    return { providerMessageId: `provider-${this.sends.length}` };
  }
}

/** Suppressions in a Map, keyed by lower-case address. */
export class MemorySuppressions implements SuppressionList {
  readonly entries = new Map<string, Suppression>();
  async find(addresses: readonly string[]) {
    return addresses.flatMap((a) => this.entries.get(a.toLowerCase()) ?? []);
  }
  async add(s: Suppression) {
    this.entries.set(s.address.toLowerCase(), s);
  }
  async remove(address: string) {
    return this.entries.delete(address.toLowerCase()) ? ('removed' as const) : ('missing' as const);
  }
  async list() {
    return { suppressions: [...this.entries.values()] };
  }
}

/** SMTP integrations in an array; setError is recorded. */
export class MemoryIntegrations implements SmtpIntegrationDirectory {
  constructor(public integrations: SmtpIntegration[] = []) {}
  async list() {
    return this.integrations.map((i) => ({ ...i }));
  }
  async setError(serverId: string, failure: OutboxFailure) {
    this.integrations = this.integrations.map((i) => (i.serverId === serverId ? { ...i, state: 'error' as const, lastError: failure } : i));
  }
}

/** Verified domains in a Set. */
export class MemorySendingDomains implements SendingDomainCheck {
  constructor(readonly verified = new Set<string>()) {}
  async isVerifiedForSending(domain: string) {
    return this.verified.has(domain);
  }
}

/** A rate limiter that answers `wait` (0: a slot) and records its calls. */
export class FixedRateLimiter implements SendRateLimiter {
  readonly calls: { serverId: string; messagesPerMinute: number }[] = [];
  constructor(public wait = 0) {}
  async acquire(serverId: string, messagesPerMinute: number) {
    this.calls.push({ serverId, messagesPerMinute });
    return this.wait;
  }
}

/** A composer that "stores" `outbound/<id>.eml` and counts its calls. */
export class CountingComposer implements OutboundComposer {
  composed = 0;
  fail?: Error;
  async compose(record: OutboxRecord): Promise<BlobRef> {
    if (this.fail) throw this.fail;
    this.composed++;
    return { bucket: 'mail', key: `outbound/${record.id}.eml` };
  }
}

/** A notifier that records the ids it was given. */
export class RecordingNotifier implements OutboundNotifier {
  readonly notified: { ids: string[]; delaySeconds?: number }[] = [];
  async notify(ids: readonly string[], delaySeconds?: number) {
    this.notified.push({ ids: [...ids], ...(delaySeconds !== undefined && { delaySeconds }) });
  }
}
