/**
 * The ACD on DynamoDB: `next` (find and claim in one conditional write) and the other agent
 * transitions (release, transfer, close), each ONE conditional UpdateItem on the interaction
 * (decision 7: no transactions, so the same code runs on DynamoDB, DynamoDB Local and dynalite).
 *
 * `next` reads each of the agent's queues from the `byBucket` index in order-key order (decision
 * 6), a small page at a time and only the attributes eligibility needs; merges them (core
 * candidates.ts); and tries candidates best first. A claim that loses a race moves on to the next
 * candidate of the pages already read instead of querying again (until a few losses in a row show
 * the pages are stale), and marks the caller as contended so its next picks spread over the best
 * few candidates (core contention.ts). While contended, the instance also keeps the rest of its
 * pages for its next `next` (core held-page.ts): a young page is tried again, continuing after
 * the last claim, until it loses a race; a caller that sees no contention always reads afresh and
 * claims in strict score order. No interaction is ever returned to two agents: the write only
 * succeeds while the item is still `waiting` in the very queue partition it was read from.
 */
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { dropCandidate, newStream, streamToRead, triableCandidates, type Candidate, type QueueStream } from '../../core/agents/candidates.ts';
import { contentionWindow, newContention, pickCandidate, recordConflict, type Contention } from '../../core/agents/contention.ts';
import { isEligible } from '../../core/agents/eligibility.ts';
import { heldPageKey, mayReuseHeldPage, pageSizeFor, pickInHeldPage, type HeldPage } from '../../core/agents/held-page.ts';
import { ACD_LIMITS } from '../../core/agents/limits.ts';
import type { InteractionClaims } from '../../core/agents/ports.ts';
import { claimTransition, type Holder, type Transition } from '../../core/agents/transitions.ts';
import type { Interaction, TrailEntry } from '../../core/interaction.ts';
import { boundTrail } from '../../core/item-bounds.ts';
import { ITEM_LIMITS } from '../../core/limits.ts';
import type { Page } from '../../core/ports.ts';
import { queryBucketPage } from './bucket-page.ts';
import { itemToInteraction, type Item } from './item-codec.ts';
import { dynamoCall, isConditionalCheckFailed } from './dynamo-call.ts';
import { BY_BUCKET_INDEX } from '../../../contract/tables.ts';
import { QUARANTINE_BUCKET, agentBucket, interactionPk, queueBucket } from './schema.ts';
import { updateFor } from './claim-update.ts';
import type { Agent } from '../../core/agents/model.ts';

/** The attributes a `next` page reads: what eligibility and the claim need, never the message. */
const CANDIDATE_PROJECTION = {
  expression: '#id, #queueId, #orderKey, #skills, #language',
  names: { '#id': 'id', '#queueId': 'queueId', '#orderKey': 'orderKey', '#skills': 'skills', '#language': 'language' },
} as const;

export interface ClaimsOptions {
  /** For the random pick under contention; `Math.random` by default. */
  readonly random?: () => number;
  /** The clock contention decays with (epoch ms); `Date.now` by default. */
  readonly clock?: () => number;
  readonly limits?: typeof ACD_LIMITS;
}

/** What one instance has done, for benchmarks and logs. */
export interface ClaimStats {
  claims: number;
  conflicts: number;
  queries: number;
  /** `next` calls that started from the page of an earlier call instead of reading. */
  reusedPages: number;
}

/**
 * {@link InteractionClaims} on the interactions table. Keep one instance per process (a Lambda
 * container): its contention memory is what spreads concurrent agents over different candidates.
 */
export class DynamoInteractionClaims implements InteractionClaims {
  readonly stats: ClaimStats = { claims: 0, conflicts: 0, queries: 0, reusedPages: 0 };
  private readonly contention: Contention = newContention();
  /** The pages of the last successful `next`, for the next one (core held-page.ts). */
  private held: HeldPage | undefined;
  private readonly random: () => number;
  private readonly clock: () => number;
  private readonly limits: typeof ACD_LIMITS;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: ClaimsOptions = {},
  ) {
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? Date.now;
    this.limits = options.limits ?? ACD_LIMITS;
  }

  /** See the module comment; `undefined` when nothing the agent may take is waiting. */
  async next(agent: Agent, now: Date): Promise<Interaction | undefined> {
    const queues = [...new Set(agent.queues)].slice(0, this.limits.maxAgentQueues);
    const agentKey = heldPageKey(agent);
    const held = this.held;
    // taken, not shared: a concurrent `next` on this instance reads its own page
    this.held = undefined;
    let page = mayReuseHeldPage(held, agentKey, this.window(), this.clock(), this.limits) ? held : undefined;
    if (page) this.stats.reusedPages += 1;
    // a page from an earlier call that loses a claim is stale at once: others claim through it
    let conflictsAllowed: number = page ? 1 : this.limits.maxConflictsPerPage;
    let conflictsInRow = 0;
    for (;;) {
      if (!page || conflictsInRow >= conflictsAllowed) {
        const size = pageSizeFor(this.window(), this.limits);
        page = { agentKey, streams: queues.map(newStream), readAtMs: this.clock() };
        await Promise.all(page.streams.map((s) => this.readPage(s, agent, size)));
        conflictsAllowed = this.limits.maxConflictsPerPage;
        conflictsInRow = 0;
      }
      const triable = triableCandidates(page.streams);
      if (triable.length === 0) {
        const stream = streamToRead(page.streams);
        if (!stream) return undefined;
        await this.readPage(stream, agent, this.limits.nextPageSize);
        continue;
      }
      const window = this.window();
      const candidate = triable[pickInHeldPage(triable, page.lastClaimed, window, () => pickCandidate(triable.length, window, this.random))]!;
      dropCandidate(page.streams, candidate);
      const claimed = await this.apply(candidate.id, claimTransition(agent, candidate.queueId, now));
      if (claimed !== 'conflict') {
        this.stats.claims += 1;
        page.lastClaimed = candidate;
        this.held = page;
        return claimed;
      }
      this.stats.conflicts += 1;
      conflictsInRow += 1;
      recordConflict(this.contention, this.clock(), this.limits);
    }
  }

  private window(): number {
    return contentionWindow(this.contention, this.clock(), this.limits);
  }

  /**
   * One conditional UpdateItem; `conflict` when the interaction is no longer where `from` says.
   * The trail grows by one entry only while it is under ITEM_LIMITS.maxTrailEntries; a full trail
   * fails that condition too, and then (after one consistent read tells it apart from a lost race)
   * the transition is written with the trail cut by boundTrail, conditioned on the trail read.
   */
  async apply(id: string, t: Transition): Promise<Interaction | 'conflict'> {
    const appended = await this.update(id, t, { append: true });
    if (appended !== 'conflict') return appended;
    const current = await dynamoCall('GetItem', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: interactionPk(id) }, ConsistentRead: true })),
    );
    const item = current.Item;
    const trail = (item?.trail ?? []) as TrailEntry[];
    if (!item || item.state !== t.from.state || item[BY_BUCKET_INDEX.partitionKey] !== holderBucket(t.from) || trail.length < ITEM_LIMITS.maxTrailEntries) {
      return 'conflict';
    }
    return this.update(id, t, { replace: boundTrail([...trail, t.trail]), size: trail.length });
  }

  private async update(
    id: string,
    t: Transition,
    trail: { append: true } | { replace: TrailEntry[]; size: number },
  ): Promise<Interaction | 'conflict'> {
    const update = updateFor(t, 'append' in trail ? '#trail = list_append(#trail, :entry)' : '#trail = :trail');
    const trailCondition = 'append' in trail ? 'size(#trail) < :maxTrail' : 'size(#trail) = :trailSize';
    const trailValues = 'append' in trail ? { ':entry': [t.trail], ':maxTrail': ITEM_LIMITS.maxTrailEntries } : { ':trail': trail.replace, ':trailSize': trail.size };
    try {
      const out = await dynamoCall('UpdateItem', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: interactionPk(id) },
            ConditionExpression: `#state = :fromState AND #bucket = :fromBucket AND ${trailCondition}`,
            UpdateExpression: update.expression,
            ExpressionAttributeNames: { '#state': 'state', '#bucket': BY_BUCKET_INDEX.partitionKey, '#trail': 'trail', ...update.names },
            ExpressionAttributeValues: { ':fromState': t.from.state, ':fromBucket': holderBucket(t.from), ...trailValues, ...update.values },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return itemToInteraction(out.Attributes ?? {});
    } catch (err) {
      if (isConditionalCheckFailed(err)) return 'conflict';
      throw err;
    }
  }

  /** A page of the interactions `agentId` holds, in their original score order. */
  async listClaimed(agentId: string, limit: number, cursor?: string): Promise<Page<Interaction>> {
    const bucket = agentBucket(agentId);
    this.stats.queries += 1;
    const page = await queryBucketPage(this.doc, this.tableName, bucket, limit, cursor);
    return { items: page.items.map(itemToInteraction), ...(page.cursor !== undefined && { cursor: page.cursor }) };
  }

  /** Reads the next page of one queue and keeps its eligible candidates. */
  private async readPage(stream: QueueStream, agent: Agent, limit: number): Promise<void> {
    this.stats.queries += 1;
    const out = await dynamoCall('Query', () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: BY_BUCKET_INDEX.name,
          KeyConditionExpression: '#bucket = :bucket',
          ExpressionAttributeNames: { '#bucket': BY_BUCKET_INDEX.partitionKey, ...CANDIDATE_PROJECTION.names },
          ExpressionAttributeValues: { ':bucket': queueBucket(stream.queueId) },
          ProjectionExpression: CANDIDATE_PROJECTION.expression,
          ScanIndexForward: true,
          Limit: limit,
          ...(stream.cursor && { ExclusiveStartKey: stream.cursor }),
        }),
      ),
    );
    const items = (out.Items ?? []).map(toCandidate);
    if (items.length) stream.lastKey = items[items.length - 1]!.orderKey;
    stream.pending.push(...items.filter((c) => isEligible(agent, c)));
    stream.cursor = out.LastEvaluatedKey;
    stream.done = out.LastEvaluatedKey === undefined;
  }
}

function toCandidate(item: Item): Candidate {
  return {
    id: String(item.id),
    queueId: String(item.queueId),
    orderKey: Number(item.orderKey),
    ...(Array.isArray(item.skills) && { skills: item.skills.map(String) }),
    ...(typeof item.language === 'string' && { language: item.language }),
  };
}

function holderBucket(h: Holder): string {
  if (h.state === 'quarantined') return QUARANTINE_BUCKET;
  return h.state === 'waiting' ? queueBucket(h.queueId) : agentBucket(h.agentId);
}
