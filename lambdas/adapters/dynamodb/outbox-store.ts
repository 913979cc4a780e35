/**
 * The outbox on DynamoDB (decision 8): one `OUT#<id>` record per message to send, in the
 * interactions table. Routing and the API enqueue; the sender moves each record
 * `pending -> sending -> sent | failed | uncertain` with conditional updates of that one item
 * (decision 7: no transactions). The `byBucket` index lists records by state: bucket `OUT#<state>`
 * (a pending record held by an SMTP integration in error stays in `OUT#pending` with `heldBy`, so
 * every list shows it); the sort key is the creation time (epoch ms). Listings and delivery events are in outbox-queries.ts.
 */
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError, PermanentError } from '../../core/errors.ts';
import { ERROR_REASONS } from '../../core/error-reasons.ts';
import { dynamoCall, isConditionalCheckFailed } from './dynamo-call.ts';
import { TTL_ATTRIBUTE } from '../../../contract/tables.ts';
import type { BlobRef } from '../../core/message.ts';
import type { BeginSending, OutboxTransitions } from '../../core/outbound/outbound-ports.ts';
import { outboxIdFor, type DeliveryEvent, type NewOutboxRecord, type OutboundRoute, type OutboxFailure, type OutboxRecord, type OutboxState } from '../../core/outbound/outbox.ts';
import { appendDelivery, listHeldIds, listOutbox, listStaleRecords, outboxFromItem, type OutboxListFilter } from './outbox-queries.ts';
import { outboxBucket, outboxPk } from './schema.ts';

export { outboxPk };

/**
 * How long an outbox record is kept: from its enqueue, and again from its final state. It must
 * outlive every retry of the ingest that enqueued it (SQS keeps a message at most 14 days), or a
 * late retry would enqueue the message again.
 */
export const OUTBOX_RETENTION_DAYS = 30;

const expiry = (now: Date): number => Math.floor(now.getTime() / 1000) + OUTBOX_RETENTION_DAYS * 86_400;
const FINAL = (state: OutboxState, now: Date) => ({ ':to': state, ':bucket': outboxBucket(state), ':now': now.toISOString(), ':ttl': expiry(now) });

/**
 * {@link OutboxTransitions} on the interactions table. Why a conditional put on a deterministic id:
 * a retried ingest computes the same id, finds the first record, and the customer gets one message.
 * Why every transition is conditional on the state: two senders given the same record (an SQS
 * redelivery, the sweep's re-notify) race on `pending -> sending`, and only one wins.
 */
export class DynamoOutboxStore implements OutboxTransitions {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Enqueues in state `pending`; 'exists' when the record was enqueued before (left as it is).
   * @throws PermanentError `outbox-id-mismatch` when an acknowledgement's `id` is not outboxIdFor(interactionId, purpose)
   */
  async enqueue(record: NewOutboxRecord, at: Date): Promise<'enqueued' | 'exists'> {
    if (record.purpose === 'auto-acknowledgement' && (!record.interactionId || record.id !== outboxIdFor(record.interactionId, record.purpose))) {
      throw new PermanentError('outbox-id-mismatch', `outbox id ${record.id} is not derived from ${record.interactionId} and ${record.purpose}`);
    }
    const stored: OutboxRecord = { ...record, state: 'pending', createdAt: at.toISOString() };
    const item: Record<string, unknown> = {
      ...Object.fromEntries(Object.entries(stored).filter(([, v]) => v !== undefined)),
      pk: outboxPk(record.id),
      bucket: outboxBucket('pending'),
      orderKey: at.getTime(),
      [TTL_ATTRIBUTE]: expiry(at),
    };
    try {
      await dynamoCall('PutItem', () =>
        this.doc.send(new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' })),
      );
      return 'enqueued';
    } catch (err) {
      if (isConditionalCheckFailed(err)) return 'exists';
      throw err;
    }
  }

  /** One consistent read; undefined for an unknown id. */
  async get(id: string): Promise<OutboxRecord | undefined> {
    const out = await dynamoCall('GetItem', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: outboxPk(id) }, ConsistentRead: true })),
    );
    return out.Item ? outboxFromItem(out.Item) : undefined;
  }

  /** pending (not held) -> sending; else what stands in the way (busy, lease-expired, done, held, missing). */
  async beginSending(id: string, now: Date, leaseMs: number): Promise<BeginSending> {
    const begun = await this.update(id, '#state = :pending AND attribute_not_exists(#heldBy)', 'SET #state = :to, #bucket = :bucket, #leaseUntil = :lease, #updatedAt = :now, #attempts = if_not_exists(#attempts, :zero) + :one', {
      ':pending': 'pending',
      ':to': 'sending',
      ':bucket': outboxBucket('sending'),
      ':lease': new Date(now.getTime() + leaseMs).toISOString(),
      ':now': now.toISOString(),
      ':zero': 0,
      ':one': 1,
    });
    if (begun) return { kind: 'begun', record: begun };
    const record = await this.get(id);
    if (!record) return { kind: 'missing' };
    if (record.state === 'sending') {
      return (record.leaseUntil ?? '') > now.toISOString() ? { kind: 'busy', record } : { kind: 'lease-expired', record };
    }
    if (record.state === 'pending') return record.heldBy ? { kind: 'held', record } : { kind: 'busy', record };
    return { kind: 'done', record };
  }

  /** Records the composed MIME while this record is `sending`; refused (ConflictError) otherwise. */
  async recordRaw(id: string, raw: BlobRef, now: Date): Promise<void> {
    await this.transition(id, ['sending'], 'SET #raw = :raw, #updatedAt = :now', { ':raw': raw, ':now': now.toISOString() });
  }

  /**
   * sending -> sent. Also from `uncertain`: the provider did accept it, and that truth beats the
   * guess the sweep made when this sender was slower than its lease.
   */
  async markSent(id: string, sent: { readonly route: OutboundRoute; readonly providerMessageId: string }, now: Date): Promise<void> {
    await this.transition(id, ['sending', 'uncertain'], 'SET #state = :to, #bucket = :bucket, #route = :route, #providerMessageId = :pmid, #sentAt = :now, #updatedAt = :now, #ttl = :ttl REMOVE #leaseUntil', {
      ...FINAL('sent', now),
      ':route': sent.route,
      ':pmid': sent.providerMessageId,
    });
  }

  /** sending or pending (held or not) -> failed, with the failure and the route if one was chosen. */
  async markFailed(id: string, failure: OutboxFailure, route: OutboundRoute | undefined, now: Date): Promise<void> {
    const setRoute = route ? ', #route = :route' : '';
    await this.transition(id, ['sending', 'pending'], `SET #state = :to, #bucket = :bucket, #failure = :failure, #updatedAt = :now, #ttl = :ttl${setRoute} REMOVE #leaseUntil, #heldBy`, {
      ...FINAL('failed', now),
      ':failure': failure,
      ...(route && { ':route': route }),
    });
  }

  /** sending -> pending after a transient failure, keeping the failure as the last error. */
  async release(id: string, failure: OutboxFailure, now: Date): Promise<void> {
    await this.transition(id, ['sending'], 'SET #state = :to, #bucket = :bucket, #failure = :failure, #updatedAt = :now REMOVE #leaseUntil', {
      ':to': 'pending',
      ':bucket': outboxBucket('pending'),
      ':failure': failure,
      ':now': now.toISOString(),
    });
  }

  /** sending or pending -> pending held by the integration `serverId` (`heldBy`; still listed as pending). */
  async hold(id: string, serverId: string, failure: OutboxFailure, now: Date): Promise<void> {
    await this.transition(id, ['sending', 'pending'], 'SET #state = :to, #bucket = :bucket, #heldBy = :server, #failure = :failure, #updatedAt = :now REMOVE #leaseUntil', {
      ':to': 'pending',
      ':bucket': outboxBucket('pending'),
      ':server': serverId,
      ':failure': failure,
      ':now': now.toISOString(),
    });
  }

  /** A held pending record -> pending and unheld (its integration was reset); false when it was not held. */
  async unhold(id: string, now: Date): Promise<boolean> {
    const values = { ':pending': 'pending', ':bucket': outboxBucket('pending'), ':now': now.toISOString() };
    return (await this.update(id, '#state = :pending AND attribute_exists(#heldBy)', 'SET #bucket = :bucket, #updatedAt = :now REMOVE #heldBy', values)) !== undefined;
  }

  /** sending with a lease that ran out before `now` -> uncertain; a live lease or another state is left alone. */
  async markUncertain(id: string, now: Date): Promise<void> {
    const values = { ...FINAL('uncertain', now), ':sending': 'sending' };
    await this.update(id, '#state = :sending AND #leaseUntil < :now', 'SET #state = :to, #bucket = :bucket, #updatedAt = :now, #ttl = :ttl REMOVE #leaseUntil', values);
  }

  /**
   * uncertain or failed -> pending: the same id, Message-ID and composed bytes (`raw`) go out again.
   * @throws NotFoundError `outbox.not-found`; ConflictError `outbox.not-resendable` in another state
   */
  async resend(id: string, now: Date): Promise<OutboxRecord> {
    const values = { ':uncertain': 'uncertain', ':failed': 'failed', ':to': 'pending', ':bucket': outboxBucket('pending'), ':now': now.toISOString(), ':ttl': expiry(now) };
    const update = 'SET #state = :to, #bucket = :bucket, #updatedAt = :now, #ttl = :ttl REMOVE #heldBy, #providerMessageId, #sentAt';
    const resent = await this.update(id, '#state IN (:uncertain, :failed)', update, values);
    if (resent) return resent;
    const record = await this.get(id);
    if (!record) throw new NotFoundError(ERROR_REASONS.outboxNotFound, 'outbox record', id);
    throw new ConflictError(ERROR_REASONS.outboxNotResendable, `outbox record ${id} is ${record.state}; only uncertain or failed ones are sent again`, { state: `is ${record.state}` });
  }

  /** Appends a delivery event (bounded, newest kept; OUTBOX_LIMITS); unknown ids are ignored. */
  recordDelivery(id: string, event: DeliveryEvent): Promise<void> {
    return appendDelivery(this.doc, this.tableName, id, event);
  }

  /** Ids of the pending records held by `serverId`, oldest first. */
  listHeld(serverId: string): Promise<string[]> {
    return listHeldIds(this.doc, this.tableName, serverId);
  }

  /** Unheld pending records created before `olderThan`, and sending records whose lease ran out by `now`. */
  listStale(olderThan: Date, now: Date): Promise<OutboxRecord[]> {
    return listStaleRecords(this.doc, this.tableName, olderThan, now);
  }

  /** Newest first, by state (one bucket) or across every state; `interactionId` filters. */
  list(filter: OutboxListFilter): Promise<{ readonly records: OutboxRecord[]; readonly cursor?: string }> {
    return listOutbox(this.doc, this.tableName, filter);
  }

  /** One conditional update from one of `from`; a record in another state is a ConflictError, a missing one NotFound. */
  private async transition(id: string, from: readonly OutboxState[], update: string, values: Record<string, unknown>): Promise<void> {
    const froms = Object.fromEntries(from.map((s, i) => [`:from${i}`, s]));
    if (await this.update(id, `#state IN (${Object.keys(froms).join(', ')})`, update, { ...values, ...froms })) return;
    const record = await this.get(id);
    if (!record) throw new NotFoundError(ERROR_REASONS.outboxNotFound, 'outbox record', id);
    throw new ConflictError(ERROR_REASONS.outboxStateChanged, `outbox record ${id} is ${record.state}, not ${from.join(' or ')}`, { state: `is ${record.state}` });
  }

  /** One conditional UpdateItem: the record as written, or undefined when the condition did not hold. */
  private async update(id: string, condition: string, update: string, values: Record<string, unknown>): Promise<OutboxRecord | undefined> {
    // Every attribute is named by placeholder: `raw`, `state` and others are reserved words.
    const names = Object.fromEntries([...`#pk ${condition} ${update}`.matchAll(/#(\w+)/g)].map(([n, a]) => [n, a === 'ttl' ? TTL_ATTRIBUTE : a!]));
    try {
      const out = await dynamoCall('UpdateItem', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: outboxPk(id) },
            ConditionExpression: `attribute_exists(#pk) AND ${condition}`,
            UpdateExpression: update,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return outboxFromItem(out.Attributes!);
    } catch (err) {
      if (isConditionalCheckFailed(err)) return undefined;
      throw err;
    }
  }
}
