/**
 * The thread index on DynamoDB: `MID#<message-id>` records of the Message-IDs we received and sent
 * (plus `MID#<message-id> <content-hash>` records of further contents received under an id another
 * message holds), and `TOK#<token>` records of the reference tokens we issued, in the interactions table. Both expire
 * through its TTL attribute one thread window after their last use; since TTL deletion lags, a
 * record past its `expiresAt` counts as absent for writes, and readers check its age themselves.
 */
import { createHash } from 'node:crypto';
import { BatchGetCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PermanentError, TransientError } from '../../core/errors.ts';
import { MAX_THREAD_LOOKUP_IDS, normalizeMessageId, threadWindowMs } from '../../core/routing/threading.ts';
import type { MessageDirection, MessageIdClaim, MessageIdMatch, ThreadIndex, TokenMatch } from '../../core/routing/thread-ports.ts';
import { conditionalCall, dynamoCall, isConditionalCheckFailed } from './dynamo-call.ts';
import { TTL_ATTRIBUTE } from '../../../contract/tables.ts';

/** DynamoDB caps a partition key at 2,048 bytes; longer ids are keyed by their sha256. */
export const MAX_KEYED_MESSAGE_ID_BYTES = 1_000;
/** Tokens looked up per message: a subject and the ids around it rarely carry more than two. */
export const MAX_TOKEN_LOOKUPS = 8;
/** BatchGetItem may leave keys unprocessed under throttling; retried this often, then transient. */
export const MAX_BATCH_GET_ROUNDS = 4;
/** Claims re-read this often when the record vanished between the failed put and the read (TTL). */
const MAX_CLAIM_ATTEMPTS = 3;

/** The key of a Message-ID record; `messageId` must be normalized. */
export function messageIdPk(messageId: string): string {
  return Buffer.byteLength(messageId) <= MAX_KEYED_MESSAGE_ID_BYTES
    ? `MID#${messageId}`
    : `MID#sha256:${createHash('sha256').update(messageId).digest('hex')}`;
}

/**
 * The key of the record of one content under a Message-ID another message holds (see
 * {@link DynamoThreadIndex.claimMessageId}). A space cannot occur in a normalized Message-ID, so
 * this never collides with a {@link messageIdPk}.
 */
export function messageContentPk(messageId: string, contentHash: string): string {
  return `${messageIdPk(messageId)} ${contentHash}`;
}

/** The key of a reference-token record. */
export function tokenPk(token: string): string {
  return `TOK#${token.toUpperCase()}`;
}

type Item = Record<string, unknown>;

/**
 * {@link ThreadIndex} on the interactions table. Every write is one conditional put or update
 * (decision 7); reads are one consistent GetItem or bounded BatchGetItem rounds.
 * @param options.windowDays thread window, validated by core (1-30, default 30)
 */
export class DynamoThreadIndex implements ThreadIndex {
  private readonly windowMs: number;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: { readonly windowDays?: number } = {},
  ) {
    this.windowMs = threadWindowMs(options.windowDays);
  }

  /** Records a Message-ID; 'exists' when a live record holds it (the first writer keeps it). */
  async record(messageId: string, interactionId: string, contentHash: string, at: Date, direction: MessageDirection): Promise<'recorded' | 'exists'> {
    const id = required(messageId);
    return (await this.putIfAbsent(this.messageItem(id, interactionId, contentHash, at, direction), at)) ? 'recorded' : 'exists';
  }

  /**
   * Claims an inbound Message-ID for `interactionId`. A conditional put decides among concurrent
   * claimants; the losers read the winner with a consistent read. A claim found made by the same
   * `claimant` is 'new' again: that is a resumed ingest of the message that made it. Why a claimant
   * apart from the interaction: a reply claims its id for the interaction it joins, and its second
   * delivery (same interaction, another claimant) must still be reported as a duplicate.
   *
   * Why a second record per content: the `MID#<id>` record belongs to the first message with that
   * id (threading looks it up). A different message reusing the id claims `MID#<id> <hash>` as well,
   * so a resend of that second message is recognized as its duplicate instead of being compared
   * with the first message's content and queued as new again.
   */
  async claimMessageId(messageId: string, contentHash: string, interactionId: string, at: Date, claimant: string = interactionId): Promise<MessageIdClaim> {
    const id = required(messageId);
    const item = { ...this.messageItem(id, interactionId, contentHash, at, 'in'), claimant };
    const held = await this.claim(messageIdPk(id), item, at);
    if (held === 'new') return 'new';
    const holder = String(held.interactionId);
    if (held.direction === 'out') return { ours: holder };
    if ((held.claimant ?? holder) === claimant) return 'new';
    if (held.contentHash === contentHash) return { existing: holder, ...(typeof held.at === 'string' && { at: held.at }) };
    const variant = await this.claim(messageContentPk(id, contentHash), { ...item, pk: messageContentPk(id, contentHash) }, at);
    if (variant === 'new' || variant.claimant === claimant) return { differs: holder };
    return { existing: String(variant.interactionId), ...(typeof variant.at === 'string' && { at: variant.at }) };
  }

  /** Puts `item` if its key is free, else reads the live holder; 'new' when the put won. */
  private async claim(pk: string, item: Item, at: Date): Promise<'new' | Item> {
    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
      if (await this.putIfAbsent(item, at)) return 'new';
      const held = await this.get(pk);
      if (held) return held;
    }
    throw new TransientError('storage-unavailable', `claim of ${pk.slice(0, 120)} did not settle`);
  }

  /** Live and stale records of up to {@link MAX_THREAD_LOOKUP_IDS} ids, in the order asked. */
  async lookup(messageIds: readonly string[]): Promise<readonly MessageIdMatch[]> {
    const ids = unique(messageIds.map((m) => normalizeMessageId(m)), MAX_THREAD_LOOKUP_IDS);
    const items = await this.batchGet(ids.map(messageIdPk));
    return ids.flatMap((id) => {
      const item = items.get(messageIdPk(id));
      if (!item) return [];
      const direction: MessageDirection = item.direction === 'out' ? 'out' : 'in';
      return [{ messageId: id, interactionId: String(item.interactionId), direction, at: String(item.at) }];
    });
  }

  /**
   * Records or refreshes the token of an interaction: `lastAt` and the expiry move forward, the
   * customer is kept from the first record. 'collision' when another interaction's live record
   * holds the token (it is left pointing to that interaction).
   */
  async recordToken(token: string, interactionId: string, at: Date, customer?: string): Promise<'recorded' | 'collision'> {
    const names: Record<string, string> = { '#ttl': TTL_ATTRIBUTE };
    const values: Item = { ':id': interactionId, ':at': at.toISOString(), ':exp': this.expiresAt(at), ':now': epochSeconds(at) };
    let update = 'SET interactionId = :id, lastAt = :at, #ttl = :exp';
    if (customer !== undefined) {
      update += ', customer = if_not_exists(customer, :customer)';
      values[':customer'] = customer.trim().toLowerCase();
    }
    try {
      await dynamoCall('UpdateItem', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: tokenPk(token) },
            UpdateExpression: update,
            ConditionExpression: 'attribute_not_exists(pk) OR interactionId = :id OR #ttl < :now',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        ),
      );
      return 'recorded';
    } catch (err) {
      if (isConditionalCheckFailed(err)) return 'collision';
      throw err;
    }
  }

  /** Records of up to {@link MAX_TOKEN_LOOKUPS} tokens, in the order asked. */
  async lookupTokens(tokens: readonly string[]): Promise<readonly TokenMatch[]> {
    const wanted = unique(tokens.map((t) => t.toUpperCase()), MAX_TOKEN_LOOKUPS);
    const items = await this.batchGet(wanted.map(tokenPk));
    return wanted.flatMap((token) => {
      const item = items.get(tokenPk(token));
      if (!item) return [];
      const match: TokenMatch = { token, interactionId: String(item.interactionId), lastAt: String(item.lastAt) };
      return [typeof item.customer === 'string' ? { ...match, customer: item.customer } : match];
    });
  }

  private messageItem(id: string, interactionId: string, contentHash: string, at: Date, direction: MessageDirection): Item {
    return { pk: messageIdPk(id), messageId: id, interactionId, contentHash, direction, at: at.toISOString(), [TTL_ATTRIBUTE]: this.expiresAt(at) };
  }

  private expiresAt(at: Date): number {
    return epochSeconds(new Date(at.getTime() + this.windowMs));
  }

  /** Conditional put that also replaces a record whose expiry has passed but TTL has not removed. */
  private async putIfAbsent(item: Item, at: Date): Promise<boolean> {
    return conditionalCall('PutItem', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(pk) OR #ttl < :now',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
          ExpressionAttributeValues: { ':now': epochSeconds(at) },
        }),
      ),
    );
  }

  private async get(pk: string): Promise<Item | undefined> {
    const out = await dynamoCall('GetItem', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk }, ConsistentRead: true })),
    );
    return out.Item;
  }

  /** BatchGetItem of distinct keys (at most 100), retrying unprocessed keys a bounded number of rounds. */
  private async batchGet(pks: readonly string[]): Promise<Map<string, Item>> {
    const found = new Map<string, Item>();
    let keys: Item[] = pks.map((pk) => ({ pk }));
    for (let round = 0; keys.length > 0; round++) {
      if (round >= MAX_BATCH_GET_ROUNDS) {
        throw new TransientError('storage-unavailable', `BatchGetItem left ${keys.length} keys unprocessed after ${round} rounds`);
      }
      if (round > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** round));
      const out = await dynamoCall('BatchGetItem', () =>
        this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } })),
      );
      for (const item of out.Responses?.[this.tableName] ?? []) found.set(String(item.pk), item);
      keys = (out.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Item[];
    }
    return found;
  }
}

function required(messageId: string): string {
  const id = normalizeMessageId(messageId);
  if (id === undefined) throw new PermanentError('invalid-message-id', `not a Message-ID: ${String(messageId).slice(0, 80)}`);
  return id;
}

function unique(values: readonly (string | undefined)[], max: number): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (out.length >= max) break;
    if (v !== undefined && v !== '' && !out.includes(v)) out.push(v);
  }
  return out;
}

function epochSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}
