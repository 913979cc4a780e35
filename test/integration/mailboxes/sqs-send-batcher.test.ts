/**
 * The pollers' SendMessageBatch batcher on fauxqs: every accepted body arrives exactly once, a
 * send resolves only after SQS took it, and an entry SQS refuses fails on its own (after its retry
 * with SendMessage) while the rest of its batch is delivered.
 */
import { CreateQueueCommand, ReceiveMessageCommand, DeleteMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsSendBatcher } from '../../../lambdas/adapters/mailboxes/sqs-send-batcher.ts';
import { PostroomError } from '../../../lambdas/core/errors.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startFauxqsService, type Fauxqs } from '../../../lambdas/local/services.ts';

let fauxqs: Fauxqs;
let sqs: SQSClient;

beforeAll(async () => {
  fauxqs = await startFauxqsService();
  sqs = new SQSClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: fauxqs.endpoint });
});

afterAll(async () => {
  sqs?.destroy();
  await fauxqs?.stop();
});

async function queue(name: string): Promise<string> {
  return (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
}

async function drain(url: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    const messages = out.Messages ?? [];
    if (messages.length === 0) return bodies;
    bodies.push(...messages.map((m) => m.Body!));
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
}

describe('SqsSendBatcher', () => {
  it('delivers every body once, in full and partial batches', async () => {
    const url = await queue('batcher-all');
    const batcher = new SqsSendBatcher(sqs, url);
    const bodies = Array.from({ length: 23 }, (_, i) => `record ${i}`);
    await Promise.all(bodies.map((b) => batcher.send(b)));
    expect((await drain(url)).sort()).toEqual([...bodies].sort());
  });

  it('splits by bytes: bodies that together pass 256 KiB go in more than one batch', async () => {
    const url = await queue('batcher-bytes');
    const batcher = new SqsSendBatcher(sqs, url);
    const bodies = Array.from({ length: 4 }, (_, i) => `${i}`.padEnd(100 * 1024, 'x'));
    await Promise.all(bodies.map((b) => batcher.send(b)));
    expect((await drain(url)).map((b) => b[0]).sort()).toEqual(['0', '1', '2', '3']);
  });

  it('fails only the entry SQS refuses; its batch mates are delivered', async () => {
    const url = await queue('batcher-refused');
    const batcher = new SqsSendBatcher(sqs, url);
    // U+0000 is outside the characters an SQS message body may hold.
    const outcomes = await Promise.allSettled(['good 1', 'bad \u0000', 'good 2'].map((b) => batcher.send(b)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const reason = (outcomes[1] as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(PostroomError);
    expect((reason as PostroomError).code).toMatch(/^queue-/);
    expect((await drain(url)).sort()).toEqual(['good 1', 'good 2']);
  });
});
