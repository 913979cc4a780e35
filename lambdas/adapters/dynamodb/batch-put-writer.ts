/**
 * Unconditional puts into one table, gathered into BatchWriteItem calls (up to 25 items) instead of
 * one PutItem each: a POP3 poll writes one seen-set item per message with up to 16 stores in
 * flight, and per PutItem the SDK's request pipeline cost about as much CPU as fetching the
 * message (poll.bench.ts).
 *
 * Only for puts that need no condition (BatchWriteItem takes none) and whose items the caller
 * does not read back within the batch's linger. The promise of each {@link DynamoBatchPutWriter.put}
 * settles only when DynamoDB wrote that very item: items a batch leaves unprocessed are written
 * again (with back-off) until done or the rounds run out, then that item's put rejects.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '../../core/errors.ts';
import { dynamoCall } from './dynamo-call.ts';

/** Bounds of one batch. */
export const BATCH_PUT_LIMITS = {
  /** Items per BatchWriteItem: the DynamoDB API's maximum. */
  maxItems: 25,
  /** Milliseconds a partial batch waits for more puts: short against a message's store (S3 + SQS, several ms in flight). */
  lingerMs: 5,
  /** Calls for one batch's unprocessed items (throttling) before its puts fail as transient. */
  maxRounds: 5,
  /** First back-off before unprocessed items are written again, doubled per round (as AWS advises for UnprocessedItems). */
  baseBackoffMs: 50,
} as const;

interface Pending {
  readonly item: Record<string, unknown> & { readonly pk: string };
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/** Batches puts into one table whose key is `pk`; one instance per poll. */
export class DynamoBatchPutWriter {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Resolves once DynamoDB wrote `item`; rejects with a classified `storage-…` error otherwise. */
  put(item: Record<string, unknown> & { readonly pk: string }): Promise<void> {
    // BatchWriteItem refuses two writes of one key in a call: the earlier one goes first.
    if (this.pending.some((p) => p.item.pk === item.pk)) this.flush();
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= BATCH_PUT_LIMITS.maxItems) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), BATCH_PUT_LIMITS.lingerMs);
    });
  }

  /** Writes what is pending now (its promises settle when that batch is written). */
  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length > 0) void this.write(batch);
  }

  private async write(batch: readonly Pending[]): Promise<void> {
    let left = batch;
    try {
      for (let round = 0; round < BATCH_PUT_LIMITS.maxRounds && left.length > 0; round++) {
        if (round > 0) await sleep(BATCH_PUT_LIMITS.baseBackoffMs * 2 ** (round - 1));
        const requests = left.map((p) => ({ PutRequest: { Item: p.item } }));
        const out = await dynamoCall('BatchWriteItem', () => this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests } })));
        const unprocessed = new Set((out.UnprocessedItems?.[this.table] ?? []).map((r) => String(r.PutRequest?.Item?.pk)));
        for (const p of left) if (!unprocessed.has(p.item.pk)) p.resolve();
        left = left.filter((p) => unprocessed.has(p.item.pk));
      }
    } catch (err) {
      for (const p of left) p.reject(err);
      return;
    }
    const failure = new TransientError('storage-unavailable', `DynamoDB BatchWriteItem left ${left.length} items unprocessed; retry`);
    for (const p of left) p.reject(failure);
  }
}
