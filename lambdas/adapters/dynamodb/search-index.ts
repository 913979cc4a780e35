/**
 * The interaction search index on DynamoDB (core/search.ts says why it is shaped so). Two small
 * items per interaction in the interactions table, on the existing `byBucket` index, so no new
 * index and no Scan:
 * - `SRCH#S#<id>` under `SENDER#<address>`: every interaction of a sender, newest first;
 * - `SRCH#D#<id>` under `SUBJ#<yyyy-mm-dd>` with the normalized subject: the day's mail, newest
 *   first, read with a `contains` filter per word. These expire (TTL) once past the days subject
 *   search reads, so the day partitions stay bounded.
 * Both are written with unconditional puts of the same content, so a retried ingest repeats them
 * harmlessly. Sort key: minus the receipt time in epoch minutes, as the quarantine's (newest first).
 */
import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../core/errors.ts';
import { ERROR_REASONS } from '../../core/error-reasons.ts';
import type { Interaction } from '../../core/interaction.ts';
import type { InteractionStore, Page } from '../../core/ports.ts';
import { SEARCH_LIMITS, searchEntryOf, type InteractionSearchIndex, type SearchEntry } from '../../core/search.ts';
import { BY_BUCKET_INDEX, TTL_ATTRIBUTE } from '../../../contract/tables.ts';
import { queryBucketPage } from './bucket-page.ts';
import { decodeCursor, encodeCursor, MAX_CURSOR_CHARS, type Item } from './item-codec.ts';
import { dynamoCall } from './dynamo-call.ts';

/** A sender bucket key is a partition key (at most 2,048 bytes); a longer "address" is junk, cut. */
export const MAX_SENDER_KEY_CHARS = 320;
/** Index items one subject query reads at a time; several per page keep each response small. */
const SUBJECT_QUERY_LIMIT = 200;
const MS_PER_DAY = 86_400_000;

const senderBucket = (sender: string): string => `SENDER#${sender.slice(0, MAX_SENDER_KEY_CHARS)}`;
const dayBucket = (day: string): string => `SUBJ#${day}`;
const dayOf = (at: Date): string => at.toISOString().slice(0, 10);

/** Newest first on an ascending index: minus epoch minutes, to the millisecond. */
function sortKey(receivedAt: string): number {
  return -Math.round(((Date.parse(receivedAt) || 0) / 60_000) * 1000) / 1000;
}

/** {@link InteractionSearchIndex} on the interactions table. */
export class DynamoSearchIndex implements InteractionSearchIndex {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(entry: SearchEntry): Promise<void> {
    const orderKey = sortKey(entry.receivedAt);
    const expires = Math.floor((Date.parse(entry.receivedAt) + (SEARCH_LIMITS.subjectDays + 1) * MS_PER_DAY) / 1000);
    const items: Item[] = [
      { pk: `SRCH#D#${entry.interactionId}`, bucket: dayBucket(entry.receivedAt.slice(0, 10)), orderKey, interactionId: entry.interactionId, subject: entry.subject, [TTL_ATTRIBUTE]: expires },
      ...(entry.sender ? [{ pk: `SRCH#S#${entry.interactionId}`, bucket: senderBucket(entry.sender), orderKey, interactionId: entry.interactionId }] : []),
    ];
    await Promise.all(items.map((Item) => dynamoCall('PutItem', () => this.doc.send(new PutCommand({ TableName: this.tableName, Item })))));
  }

  async bySender(sender: string, limit: number, cursor?: string): Promise<Page<string>> {
    const page = await queryBucketPage(this.doc, this.tableName, senderBucket(sender.toLowerCase()), limit, cursor, { pkPrefix: 'SRCH#S#' });
    return { items: page.items.map((i) => String(i.interactionId)), ...(page.cursor !== undefined && { cursor: page.cursor }) };
  }

  /**
   * Walks the day partitions from `now` back `days` days, newest first, keeping entries whose
   * subject contains every word, until `limit` matches or {@link SEARCH_LIMITS.maxEntriesRead}
   * entries were read. The cursor is `<day offset>` or `<day offset>.<cursor within that day>`.
   */
  async bySubject(words: readonly string[], options: { readonly now: Date; readonly days: number; readonly limit: number; readonly cursor?: string }): Promise<Page<string> & { readonly oldestDay: string }> {
    let { offset, start } = this.parseSubjectCursor(options.cursor, options.now);
    const dayAt = (n: number) => dayOf(new Date(options.now.getTime() - n * MS_PER_DAY));
    const ids: string[] = [];
    let read = 0;
    let oldestDay = dayAt(offset);
    while (offset < options.days) {
      if (ids.length >= options.limit || read >= SEARCH_LIMITS.maxEntriesRead) {
        return { items: ids, cursor: start ? `${offset}.${encodeCursor(start)}` : `${offset}`, oldestDay };
      }
      oldestDay = dayAt(offset);
      const out = await this.querySubjects(oldestDay, words, Math.min(SUBJECT_QUERY_LIMIT, SEARCH_LIMITS.maxEntriesRead - read), start);
      read += out.ScannedCount ?? 0;
      const items = out.Items ?? [];
      const room = options.limit - ids.length;
      if (items.length > room) {
        // The page holds more matches than this answer takes: the next page starts after the last one taken.
        const taken = items.slice(0, room);
        ids.push(...taken.map((i) => String(i.interactionId)));
        const last = taken.at(-1)!;
        start = { pk: last.pk, bucket: last.bucket, orderKey: last.orderKey };
        continue;
      }
      ids.push(...items.map((i) => String(i.interactionId)));
      start = out.LastEvaluatedKey;
      if (!start) offset += 1;
    }
    return { items: ids, oldestDay };
  }

  private async querySubjects(day: string, words: readonly string[], limit: number, start: Item | undefined) {
    const names: Record<string, string> = { '#bucket': BY_BUCKET_INDEX.partitionKey, ...(words.length && { '#subject': 'subject' }) };
    const values: Record<string, unknown> = { ':bucket': dayBucket(day) };
    words.forEach((w, n) => (values[`:w${n}`] = w));
    return dynamoCall('Query', () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: BY_BUCKET_INDEX.name,
          KeyConditionExpression: '#bucket = :bucket',
          ...(words.length && { FilterExpression: words.map((_, n) => `contains(#subject, :w${n})`).join(' AND ') }),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ScanIndexForward: true,
          Limit: limit,
          ...(start && { ExclusiveStartKey: start }),
        }),
      ),
    );
  }

  private parseSubjectCursor(cursor: string | undefined, now: Date): { offset: number; start: Item | undefined } {
    if (cursor === undefined || cursor === '') return { offset: 0, start: undefined };
    const match = /^(\d{1,3})(?:\.([A-Za-z0-9_-]+))?$/.exec(cursor);
    const offset = Number(match?.[1] ?? -1);
    if (!match || offset >= SEARCH_LIMITS.subjectDays || cursor.length > MAX_CURSOR_CHARS + 4) {
      throw new ValidationError({ cursor: 'is not a valid cursor for this list' }, {}, { cursor: ERROR_REASONS.cursorInvalid });
    }
    const day = dayOf(new Date(now.getTime() - offset * MS_PER_DAY));
    return { offset, start: match[2] ? decodeCursor(match[2], dayBucket(day), 'SRCH#D#') : undefined };
  }
}

/**
 * An {@link InteractionStore} that also writes the search entries of every interaction it creates
 * (ingest's stores are wired with it). Why around `create`: every new interaction, routed or
 * quarantined, passes there; why also on `exists`: a retried ingest after a crash between the two
 * writes must still index the interaction.
 */
export function withSearchIndex(store: InteractionStore, index: Pick<InteractionSearchIndex, 'record'>): InteractionStore {
  return {
    listWaiting: (...a) => store.listWaiting(...a),
    listQuarantined: (...a) => store.listQuarantined(...a),
    listDisposed: (...a) => store.listDisposed(...a),
    get: (id) => store.get(id),
    async create(interaction: Interaction) {
      const created = await store.create(interaction);
      await index.record(searchEntryOf(interaction));
      return created;
    },
  };
}
