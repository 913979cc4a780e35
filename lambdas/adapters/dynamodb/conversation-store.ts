/**
 * Replies attached to their interaction (threading, probable duplicates). Each reply is its own
 * small item, `R#<interactionId>#<transportKey>`, in the interaction's thread partition of the
 * `byBucket` index (`T#<interactionId>`, ordered by receipt time), so the interaction item stays
 * small however long the conversation gets. The interaction records the transport keys it has
 * attached in a string set: adding one is idempotent, so a redelivered reply never counts twice.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TrailEntry } from '../../core/interaction.ts';
import { MAX_LISTED_REPLIES, type ConversationReader, type ConversationStore, type ReplyRecord } from '../../core/routing/ingest-ports.ts';
import { orderKey } from '../../core/score.ts';
import { BY_BUCKET_INDEX, interactionPk, queueBucket } from './schema.ts';
import { isConditionalCheckFailed, toStorageError } from './sdk-errors.ts';

/** Interactions never offered to agents: a reply to one is routed as new mail instead. */
const NOT_OPEN = new Set(['disconnected', 'set-aside', 'quarantined']);

/** A state change between our read and our write is retried this often before giving up. */
const MAX_ATTACH_ATTEMPTS = 3;

export const replyPk = (interactionId: string, transportKey: string): string => `R#${interactionId}#${transportKey}`;
export const threadBucket = (interactionId: string): string => `T#${interactionId}`;

export class DynamoConversationStore implements ConversationStore, ConversationReader {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async attach(
    interactionId: string,
    reply: ReplyRecord,
    trail: readonly TrailEntry[],
    at: Date,
  ): Promise<'attached' | 'reopened' | 'missing' | 'not-open'> {
    const first = await this.read(interactionId);
    if (!first) return 'missing';
    if (NOT_OPEN.has(first.state)) return 'not-open';
    await this.putReply(interactionId, reply);
    for (let attempt = 0; attempt < MAX_ATTACH_ATTEMPTS; attempt++) {
      const current = attempt === 0 ? first : await this.read(interactionId);
      if (!current) return 'missing';
      if (NOT_OPEN.has(current.state)) return 'not-open';
      if (current.replyKeys?.has(reply.transportKey)) return 'attached';
      try {
        return await this.update(interactionId, current, reply.transportKey, trail, at);
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw toStorageError('attach reply', err);
      }
    }
    throw toStorageError('attach reply', new Error(`interaction ${interactionId} kept changing`));
  }

  async listReplies(interactionId: string): Promise<readonly ReplyRecord[]> {
    try {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: BY_BUCKET_INDEX.name,
          KeyConditionExpression: '#b = :b',
          ExpressionAttributeNames: { '#b': BY_BUCKET_INDEX.partitionKey },
          ExpressionAttributeValues: { ':b': threadBucket(interactionId) },
          Limit: MAX_LISTED_REPLIES,
        }),
      );
      return (out.Items ?? []).map(({ pk: _pk, bucket: _b, orderKey: _o, interactionId: _i, ...reply }) => reply as ReplyRecord);
    } catch (err) {
      throw toStorageError('list replies', err);
    }
  }

  private async putReply(interactionId: string, reply: ReplyRecord): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: replyPk(interactionId, reply.transportKey),
            bucket: threadBucket(interactionId),
            orderKey: Math.round(Date.parse(reply.receivedAt) / 1000),
            interactionId,
            ...reply,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw toStorageError('store reply', err);
    }
  }

  private async read(id: string) {
    try {
      const { Item } = await this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: interactionPk(id) },
          ConsistentRead: true,
          ProjectionExpression: '#s, queueId, priority, replyKeys',
          ExpressionAttributeNames: { '#s': 'state' },
        }),
      );
      return Item as { state: string; queueId?: string; priority: number; replyKeys?: Set<string> } | undefined;
    } catch (err) {
      throw toStorageError('read interaction', err);
    }
  }

  /**
   * One conditional update: the state we read must still hold and the reply must not be counted
   * yet. A closed interaction is reopened: a customer writing again is a new contact, so it waits
   * from now, in the queue it was closed in.
   */
  private async update(
    id: string,
    current: { state: string; queueId?: string; priority: number },
    transportKey: string,
    trail: readonly TrailEntry[],
    at: Date,
  ): Promise<'attached' | 'reopened'> {
    const reopen = current.state === 'closed' && current.queueId !== undefined;
    const values: Record<string, unknown> = {
      ':trail': reopen ? [...trail, { at: at.toISOString(), step: 'reopened', detail: `the customer wrote again: waiting in ${current.queueId}` }] : trail,
      ':at': at.toISOString(),
      ':key': new Set([transportKey]),
      ':keyString': transportKey,
      ':one': 1,
      ':state': current.state,
    };
    let set = 'lastMessageAt = :at, trail = list_append(trail, :trail)';
    let remove = '';
    if (reopen) {
      set += ', #s = :waiting, bucket = :bucket, orderKey = :order, enqueuedAt = :at';
      remove = ' REMOVE closedAt, agentId, claimedAt';
      Object.assign(values, { ':waiting': 'waiting', ':bucket': queueBucket(current.queueId!), ':order': orderKey(at, current.priority) });
    }
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: interactionPk(id) },
        UpdateExpression: `SET ${set}${remove} ADD replyKeys :key, replyCount :one`,
        ConditionExpression: 'attribute_exists(pk) AND #s = :state AND NOT contains(replyKeys, :keyString)',
        ExpressionAttributeNames: { '#s': 'state' },
        ExpressionAttributeValues: values,
      }),
    );
    return reopen ? 'reopened' : 'attached';
  }
}
