/**
 * The local stand-in for a Lambda SQS event source mapping: long-polls the queue, hands batches to
 * the handler as an `SQSEvent`, deletes the records the handler did not report as failed
 * (ReportBatchItemFailures), and leaves failures to become visible again, so the queue's redrive
 * policy moves a record that keeps failing to the DLQ exactly as in AWS.
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface EventSourceOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly region: string;
  readonly handler: SqsHandler;
  /** Records per invocation, as the mapping's BatchSize (SQS allows at most 10 per receive). */
  readonly batchSize?: number;
  /** Concurrent pollers, as the mapping's scaling; two keeps a two-core machine busy. */
  readonly concurrency?: number;
  /** Called after every invocation; the local runtime uses it to persist new objects. */
  readonly afterBatch?: (result: { records: number; failed: number }) => void | Promise<void>;
  readonly onError?: (err: Error) => void;
}

export interface EventSource {
  /** Stops polling and waits for in-flight batches to finish. */
  stop(): Promise<void>;
}

export function startEventSource(options: EventSourceOptions): EventSource {
  let running = true;
  const abort = new AbortController();
  const loops = Array.from({ length: options.concurrency ?? 2 }, () => pollLoop());

  async function pollLoop(): Promise<void> {
    while (running) {
      try {
        const received = await options.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: options.batchSize ?? 10,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
          }),
          { abortSignal: abort.signal },
        );
        const messages = received.Messages ?? [];
        if (messages.length > 0) await invoke(messages);
      } catch (err) {
        if (!running) return;
        options.onError?.(err as Error);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  async function invoke(messages: Message[]): Promise<void> {
    const event: SQSEvent = { Records: messages.map((m) => recordOf(m, options)) };
    let failed = new Set(messages.map((m) => m.MessageId!));
    try {
      const response = await options.handler(event, lambdaContext());
      const failures = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
      failed = new Set([...failed].filter((id) => failures.has(id)));
    } catch (err) {
      options.onError?.(err as Error);
    }
    const done = messages.filter((m) => !failed.has(m.MessageId!));
    if (done.length > 0) {
      await options.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }),
      );
    }
    await options.afterBatch?.({ records: messages.length, failed: failed.size });
  }

  return {
    async stop() {
      running = false;
      abort.abort();
      await Promise.allSettled(loops);
    },
  };
}

function recordOf(m: Message, o: EventSourceOptions): SQSRecord {
  const a = m.Attributes ?? {};
  return {
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: a.ApproximateReceiveCount ?? '1',
      SentTimestamp: a.SentTimestamp ?? String(Date.now()),
      SenderId: a.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: a.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: o.queueArn,
    awsRegion: o.region,
  };
}

/** A Lambda context good enough for Powertools: the local runtime has no deadline per batch. */
function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'postroom-routing-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:postroom-routing-local',
    memoryLimitInMB: '1024',
    awsRequestId: crypto.randomUUID(),
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
