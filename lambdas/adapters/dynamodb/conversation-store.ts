/**
 * Replies attached to their interaction (threading, probable duplicates). Each reply is its own
 * small item, `R#<interactionId>#<transportKey>`, in the interaction's thread partition of the
 * `byBucket` index (`T#<interactionId>`, ordered by receipt time), so the interaction item stays
 * small however long the conversation gets. The interaction records the transport keys it has
 * attached in a string set: adding one is idempotent, so a redelivered reply never counts twice.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TrailEntry } from '../../core/interaction.ts';
import { boundTrail } from '../../core/item-bounds.ts';
import { ITEM_LIMITS } from '../../core/limits.ts';
import { MAX_LISTED_REPLIES, type ConversationReader, type ConversationStore, type ReplyRecord } from '../../core/routing/routing-ports.ts';
import { orderKey } from '../../core/score.ts';
import { BY_BUCKET_INDEX } from '../../../contract/tables.ts';
import { interactionPk, queueBucket } from './schema.ts';
import { PermanentError } from '../../core/errors.ts';
import { sdkError } from '../aws/sdk-errors.ts';
import { isConditionalCheckFailed } from './dynamo-call.ts';

/** Interactions never offered to agents: a reply to one is routed as new mail instead. */
const NOT_OPEN = new Set(['disconnected', 'set-aside', 'quarantined']);

/** A state change between our read and our write is retried this often before giving up. */
const MAX_ATTACH_ATTEMPTS = 3;

/** What attaching reads of an interaction. */
interface Current {
  readonly state: string;
  readonly queueId?: string;
  readonly priority: number;
  readonly replyKeys?: Set<string>;
  readonly replyCount?: number;
  readonly trail?: TrailEntry[];
}

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
  ): Promise<'attached' | 'reopened' | 'missing' | 'not-open' | 'full'> {
    const first = await this.read(interactionId);
    if (!first) return 'missing';
    if (NOT_OPEN.has(first.state)) return 'not-open';
    if (!first.replyKeys?.has(reply.transportKey) && (first.replyCount ?? 0) >= ITEM_LIMITS.maxRepliesPerInteraction) return 'full';
    await this.putReply(interactionId, reply);
    for (let attempt = 0; attempt < MAX_ATTACH_ATTEMPTS; attempt++) {
      const current = attempt === 0 ? first : await this.read(interactionId);
      if (!current) return 'missing';
      if (NOT_OPEN.has(current.state)) return 'not-open';
      if (current.replyKeys?.has(reply.transportKey)) return 'attached';
      if ((current.replyCount ?? 0) >= ITEM_LIMITS.maxRepliesPerInteraction) return 'full';
      try {
        return await this.update(interactionId, current, reply.transportKey, trail, at);
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw sdkError(err, 'storage', 'DynamoDB attach reply');
      }
    }
    // Not a failed call, so not the classifier's to judge: losing every race counts as storage refusing the reply.
    throw new PermanentError('storage-rejected', `DynamoDB attach reply failed: Error: interaction ${interactionId} kept changing`);
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
      throw sdkError(err, 'storage', 'DynamoDB list replies');
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
      if (!isConditionalCheckFailed(err)) throw sdkError(err, 'storage', 'DynamoDB store reply');
    }
  }

  private async read(id: string): Promise<Current | undefined> {
    try {
      const { Item } = await this.doc.send(
        new GetCommand({
          TableName: this.tableName,
          Key: { pk: interactionPk(id) },
          ConsistentRead: true,
          ProjectionExpression: '#s, #queueId, #priority, #replyKeys, #replyCount, #trail',
          ExpressionAttributeNames: { '#s': 'state', '#queueId': 'queueId', '#priority': 'priority', '#replyKeys': 'replyKeys', '#replyCount': 'replyCount', '#trail': 'trail' },
        }),
      );
      return Item as Current | undefined;
    } catch (err) {
      throw sdkError(err, 'storage', 'DynamoDB read interaction');
    }
  }

  /**
   * One conditional update: the state we read must still hold, the reply must not be counted yet,
   * and the trail must be the one we read (it is replaced by its bounded continuation, so an agent's
   * entry written meanwhile must not be lost: the attempt is repeated instead). A closed
   * interaction is reopened: a customer writing again is a new contact, so it waits from now, in
   * the queue it was closed in. Every attribute is named through a placeholder: `bucket` (and
   * others) are DynamoDB reserved words, and a bare one fails the update on every attempt.
   */
  private async update(id: string, current: Current, transportKey: string, trail: readonly TrailEntry[], at: Date): Promise<'attached' | 'reopened'> {
    const reopen = current.state === 'closed' && current.queueId !== undefined;
    const added = reopen ? [...trail, { at: at.toISOString(), step: 'reopened', detail: `the customer wrote again: waiting in ${current.queueId}` }] : trail;
    const names: Record<string, string> = { '#s': 'state', '#trail': 'trail', '#lastMessageAt': 'lastMessageAt', '#replyKeys': 'replyKeys', '#replyCount': 'replyCount' };
    const values: Record<string, unknown> = {
      ':trail': boundTrail([...(current.trail ?? []), ...added]),
      ':trailLength': current.trail?.length ?? 0,
      ':at': at.toISOString(),
      ':key': new Set([transportKey]),
      ':keyString': transportKey,
      ':one': 1,
      ':state': current.state,
    };
    let set = '#lastMessageAt = :at, #trail = :trail';
    let remove = '';
    if (reopen) {
      set += ', #s = :waiting, #bucket = :bucket, #orderKey = :order, #enqueuedAt = :at';
      remove = ' REMOVE #closedAt, #agentId, #claimedAt';
      Object.assign(names, { '#bucket': 'bucket', '#orderKey': 'orderKey', '#enqueuedAt': 'enqueuedAt', '#closedAt': 'closedAt', '#agentId': 'agentId', '#claimedAt': 'claimedAt' });
      Object.assign(values, { ':waiting': 'waiting', ':bucket': queueBucket(current.queueId!), ':order': orderKey(at, current.priority) });
    }
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: interactionPk(id) },
        UpdateExpression: `SET ${set}${remove} ADD #replyKeys :key, #replyCount :one`,
        ConditionExpression: 'attribute_exists(pk) AND #s = :state AND NOT contains(#replyKeys, :keyString) AND size(#trail) = :trailLength',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return reopen ? 'reopened' : 'attached';
  }
}
