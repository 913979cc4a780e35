/**
 * The sender's notices on the outbound SQS queue (issue 11): one message `{ "outboxId": ... }` per
 * record, sent with SendMessageBatch (up to 10 a call). The API Lambda has no SQS SDK client in
 * its bundle, so the notifier talks through a small `SqsBatchCall` that both the SDK client and
 * the API's signed calls (aws/signed-request.ts) provide.
 */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { MalformedEventError, TransientError } from '../../core/errors.ts';
import type { OutboundNotifier } from '../../core/outbound/outbound-ports.ts';
import type { SignedSqs } from '../aws/signed-request.ts';
import { sdkError } from '../aws/sdk-errors.ts';

export const OUTBOUND_NOTIFY_LIMITS = {
  /** Entries per SendMessageBatch: the SQS API's maximum. */
  maxEntries: 10,
  /** The longest SQS delivery delay (15 minutes); a longer wait is the handler's visibility change. */
  maxDelaySeconds: 900,
} as const;

/** One entry of a SendMessageBatch. */
export interface NoticeEntry {
  readonly Id: string;
  readonly MessageBody: string;
  readonly DelaySeconds?: number;
}

/** Sends one SendMessageBatch to `queueUrl`; answers the ids of the entries SQS refused. */
export type SqsBatchCall = (queueUrl: string, entries: readonly NoticeEntry[]) => Promise<readonly string[]>;

/** The batch call through the SDK client (sender, routing, reconciler). */
export function sdkBatchCall(sqs: SQSClient): SqsBatchCall {
  return async (queueUrl, entries) => {
    try {
      const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [...entries] }));
      return (out.Failed ?? []).map((f) => f.Id ?? '');
    } catch (err) {
      throw sdkError(err, 'queue', 'SQS SendMessageBatch');
    }
  };
}

/** The batch call through signed JSON-protocol requests (the API Lambda). */
export function signedBatchCall(sqs: Pick<SignedSqs, 'call'>): SqsBatchCall {
  return async (queueUrl, entries) => {
    try {
      const out = (await sqs.call(queueUrl, 'SendMessageBatch', { Entries: entries })) as { Failed?: { Id?: string }[] };
      return (out.Failed ?? []).map((f) => f.Id ?? '');
    } catch (err) {
      throw sdkError(err, 'queue', 'SQS SendMessageBatch');
    }
  };
}

/** The body of one notice; the sender handler parses it back with {@link outboxIdOfNotice}. */
export function noticeBody(outboxId: string): string {
  return JSON.stringify({ outboxId });
}

/** {@link OutboundNotifier} on the outbound queue at `queueUrl`. */
export class SqsOutboundNotifier implements OutboundNotifier {
  constructor(
    private readonly call: SqsBatchCall,
    private readonly queueUrl: string,
  ) {}

  /**
   * Sends one notice per id (de-duplicated), `delaySeconds` clamped to 0..900. Entries SQS refused
   * are sent once more in a batch of their own.
   * @throws TransientError `outbound-notify-refused` when SQS refuses an entry twice; classified queue errors
   */
  async notify(outboxIds: readonly string[], delaySeconds?: number): Promise<void> {
    const ids = [...new Set(outboxIds)];
    const delay = delaySeconds === undefined ? undefined : Math.max(0, Math.min(Math.round(delaySeconds), OUTBOUND_NOTIFY_LIMITS.maxDelaySeconds));
    for (let start = 0; start < ids.length; start += OUTBOUND_NOTIFY_LIMITS.maxEntries) {
      const entries = ids.slice(start, start + OUTBOUND_NOTIFY_LIMITS.maxEntries).map((id, i) => ({ Id: String(i), MessageBody: noticeBody(id), ...(delay !== undefined && { DelaySeconds: delay }) }));
      const refused = new Set(await this.call(this.queueUrl, entries));
      if (refused.size === 0) continue;
      const again = entries.filter((e) => refused.has(e.Id));
      const refusedAgain = await this.call(this.queueUrl, again);
      if (refusedAgain.length > 0) throw new TransientError('outbound-notify-refused', `SQS refused notices for ${refusedAgain.length} outbox records twice`);
    }
  }
}

/**
 * The outbox id a notice names.
 * @throws MalformedEventError for a body that is not `{ outboxId }`
 */
export function outboxIdOfNotice(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  const id = (parsed as { outboxId?: unknown } | undefined)?.outboxId;
  if (typeof id !== 'string' || !/^o-[0-9a-f]{20}$/.test(id)) throw new MalformedEventError(`not an outbound notice: ${body.slice(0, 100)}`);
  return id;
}
