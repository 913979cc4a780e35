import type { SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../contract/environment.ts';
import type { PollJob, PollTick } from '../../../lambdas/core/mailboxes/dispatch.ts';
import type { PollJobQueue } from '../../../lambdas/core/mailboxes/dispatch-polls.ts';
import { lambdaContext } from '../../support/factories.ts';
import { mailServerRecord } from '../../support/mail-servers.ts';
import { MemoryMailServerStore } from '../../support/memory-mail-server-store.ts';

type Module = typeof import('../../../lambdas/handlers/mailbox-dispatcher.ts');
let dispatcherHandler: Module['dispatcherHandler'];

beforeAll(async () => {
  // The module builds its default handler from the environment at import, as in Lambda.
  Object.assign(process.env, { [ENV.configTable]: 'config', [ENV.pollJobQueueUrl]: 'jobs', [ENV.pollTickQueueUrl]: 'ticks' });
  ({ dispatcherHandler } = await import('../../../lambdas/handlers/mailbox-dispatcher.ts'));
});

function setUp() {
  const sent = { jobs: [] as PollJob[], ticks: [] as PollTick[] };
  const queue: PollJobQueue = { enqueue: async (j) => void sent.jobs.push(...j), scheduleTicks: async (t) => void sent.ticks.push(...t) };
  const store = new MemoryMailServerStore([mailServerRecord({ id: 'imap-1', name: 'a' }), mailServerRecord({ id: 'pop3-1', name: 'b', type: 'pop3' })]);
  const metrics: string[] = [];
  const handler = dispatcherHandler({ servers: store, queue }, () => new Date('2026-11-26T21:00:04.000Z'), (l) => void metrics.push(l));
  return { sent, handler, metrics };
}

describe('mailbox dispatcher handler', () => {
  it('dispatches the minute of the scheduled time and reports the failing gauge', async () => {
    const { sent, handler, metrics } = setUp();
    await handler({ kind: 'schedule', scheduledTime: '2026-11-26T21:00:00Z' }, lambdaContext());
    expect(sent.jobs.map((j) => j.slotAt)).toEqual(['2026-11-26T21:00:00.000Z', '2026-11-26T21:00:00.000Z']);
    expect(sent.ticks.map((t) => t.slotAt)).toEqual(['2026-11-26T21:00:20.000Z', '2026-11-26T21:00:40.000Z']);
    expect(JSON.parse(metrics[0]!)).toMatchObject({ Service: 'mailbox-dispatcher', PollJobsEnqueued: 2, MailServersFailing: 0 });
  });

  it('enqueues a tick slot from the tick queue and drops a malformed tick without failing it', async () => {
    const { sent, handler } = setUp();
    const record = (messageId: string, body: string) => ({ messageId, body, attributes: {}, eventSource: 'aws:sqs' }) as unknown as SQSEvent['Records'][number];
    const event: SQSEvent = { Records: [record('1', JSON.stringify({ kind: 'tick', slotAt: '2026-11-26T21:00:20.000Z' })), record('2', 'garbage')] };
    const response = await handler(event, lambdaContext());
    expect(response).toEqual({ batchItemFailures: [] });
    expect(sent.jobs).toEqual([{ serverId: 'pop3-1', slotAt: '2026-11-26T21:00:20.000Z', cause: 'schedule' }]);
  });
});
