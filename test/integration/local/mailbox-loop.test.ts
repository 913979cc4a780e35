/**
 * Mailbox scheduling on fauxqs (issue 10 item 4): the FIFO poll-job queue deduplicates overlapping
 * dispatches of one slot, never runs two polls of one server at once, and a server whose host
 * hangs delays no other server's poll. The pollers and the registry are stand-ins here.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../../contract/environment.ts';
import type { CredentialSource } from '../../../lambdas/core/mailboxes/connection.ts';
import { dispatchMinute, dispatchTick } from '../../../lambdas/core/mailboxes/dispatch-polls.ts';
import type { MailServerEvent } from '../../../lambdas/core/mailboxes/poll-health.ts';
import type { PollFunction } from '../../../lambdas/core/mailboxes/poll-job.ts';
import { SqsPollJobQueue } from '../../../lambdas/adapters/mailboxes/sqs-poll-jobs.ts';
import { startMailboxLoop, type MailboxLoop } from '../../../lambdas/local/mailbox-loop.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startFauxqsService, type Fauxqs } from '../../../lambdas/local/services.ts';
import { eventually } from '../../support/eventually.ts';
import { mailServerRecord } from '../../support/mail-servers.ts';
import { MemoryMailServerStore } from '../../support/memory-mail-server-store.ts';

const credentials: CredentialSource = { credentialsFor: async (s) => ({ kind: 'password', user: s.user, password: 'pw' }) };
let fauxqs: Fauxqs;
let sqs: SQSClient;

beforeAll(async () => {
  // The handler modules read their environment at import, as in Lambda; these values are unused here.
  Object.assign(process.env, {
    [ENV.configTable]: 'unused',
    [ENV.interactionsTable]: 'unused',
    [ENV.mailBucket]: 'unused',
    [ENV.inboundQueueUrl]: 'unused',
    [ENV.pollJobQueueUrl]: 'unused',
    [ENV.pollTickQueueUrl]: 'unused',
  });
  fauxqs = await startFauxqsService({ region: LOCAL_REGION });
  sqs = new SQSClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: fauxqs.endpoint });
});
afterAll(async () => {
  await fauxqs?.stop();
});

describe('overlapping dispatches', () => {
  it('give one job per server and slot', async () => {
    const jobs = fauxqs.server.createQueue('dedupe.fifo', { attributes: { FifoQueue: 'true', VisibilityTimeout: '60' } });
    const ticks = fauxqs.server.createQueue('dedupe-ticks');
    const store = new MemoryMailServerStore([mailServerRecord({ id: 'imap-1', name: 'a' }), mailServerRecord({ id: 'pop3-1', name: 'b', type: 'pop3' })]);
    const deps = { servers: store, queue: new SqsPollJobQueue(sqs, jobs.queueUrl, ticks.queueUrl) };
    const minute = new Date('2026-11-26T21:00:00.000Z');
    await Promise.all([dispatchMinute(deps, new Date(minute.getTime() + 1000)), dispatchMinute(deps, new Date(minute.getTime() + 3000))]);
    const tick = { kind: 'tick' as const, slotAt: '2026-11-26T21:00:20.000Z' };
    await Promise.all([dispatchTick(deps, tick), dispatchTick(deps, tick)]);
    const received: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: jobs.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
      received.push(...(out.Messages ?? []).map((m) => m.Body!));
      // A group's next job is handed out only once the one in flight is done (deleted).
      for (const m of out.Messages ?? []) await sqs.send(new DeleteMessageCommand({ QueueUrl: jobs.queueUrl, ReceiptHandle: m.ReceiptHandle! }));
    }
    const slots = received.map((b) => JSON.parse(b) as { serverId: string; slotAt: string }).map((j) => `${j.serverId} ${j.slotAt}`).sort();
    expect(slots).toEqual(['imap-1 2026-11-26T21:00:00.000Z', 'pop3-1 2026-11-26T21:00:00.000Z', 'pop3-1 2026-11-26T21:00:20.000Z']);
    // Two dispatches of one minute schedule two ticks each; deduplication happens at the FIFO queue.
    expect(fauxqs.server.inspectQueue('dedupe-ticks')?.messages.delayed.length).toBe(4);
  });
});

describe('the local mailbox loop', () => {
  const store = new MemoryMailServerStore([
    mailServerRecord({ id: 'slow', name: 'a slow', host: 'slow.example' }),
    mailServerRecord({ id: 'hangs', name: 'b hangs', host: 'hangs.example' }),
    mailServerRecord({ id: 'quick', name: 'c quick', host: 'quick.example' }),
  ]);
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const polled: string[] = [];
  let release: () => void = () => undefined;
  const hang = new Promise<void>((r) => (release = r));
  const poll: PollFunction = async (server) => {
    inFlight.set(server.id, (inFlight.get(server.id) ?? 0) + 1);
    maxInFlight.set(server.id, Math.max(maxInFlight.get(server.id) ?? 0, inFlight.get(server.id)!));
    try {
      if (server.id === 'hangs') await hang;
      else await new Promise((r) => setTimeout(r, server.id === 'slow' ? 300 : 10));
      polled.push(server.id);
      return { fetched: 1, backlog: 0, drained: true };
    } finally {
      inFlight.set(server.id, inFlight.get(server.id)! - 1);
    }
  };
  const events: MailServerEvent[] = [];
  let loop: MailboxLoop;
  let queue: SqsPollJobQueue;

  beforeAll(async () => {
    loop = await startMailboxLoop({
      fauxqs: fauxqs.server,
      sqs,
      region: LOCAL_REGION,
      // No timer run during the test: it enqueues jobs by hand.
      intervalMs: 3_600_000,
      wiring: async (queues) => {
        queue = new SqsPollJobQueue(sqs, queues.jobUrl, queues.tickUrl);
        return {
          dispatcher: { servers: new MemoryMailServerStore([]), queue },
          poller: { servers: store, credentials, poll, events: { publish: async (e) => void events.push(...e) } },
        };
      },
      log: () => undefined,
    });
  });
  afterAll(async () => {
    release();
    await loop?.stop();
  });

  it('never polls one server twice at once, and polls each of its jobs in turn', async () => {
    // Slots in the future: no job is covered by the poll before it, so each one polls.
    const base = Date.now() + 3_600_000;
    const jobs = [0, 1, 2, 3].map((i) => ({ serverId: 'slow', slotAt: new Date(base + i * 1000).toISOString(), cause: 'saved' as const }));
    await queue.enqueue(jobs);
    await eventually(async () => (polled.filter((id) => id === 'slow').length === 4 ? true : undefined), { what: 'four polls of one server' });
    expect(maxInFlight.get('slow')).toBe(1);
    expect(store.servers.get('slow')).toMatchObject({ state: 'ok', messagesFetched: 4 });
  });

  it('lets another server be polled while one host hangs', async () => {
    await queue.pollNow('hangs');
    await eventually(async () => (inFlight.get('hangs') === 1 ? true : undefined), { what: 'the hanging poll to start' });
    const started = Date.now();
    await queue.pollNow('quick');
    await eventually(async () => (polled.includes('quick') ? true : undefined), { what: 'the quick server to be polled', timeoutMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(polled).not.toContain('hangs');
  });
});
