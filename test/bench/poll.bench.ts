/**
 * Issue 10 item 8: the initial sync of a 10,000-message Dovecot mailbox (BENCH_SMALL=1: 1,000)
 * through the pollers into S3 and the inbound queue (fauxqs) with their poll state on dynalite, in
 * messages per second, beside a bare client fetching every message of the same mailbox in the
 * same run: imapflow's `UID FETCH 1:* BODY.PEEK[]` for IMAP, UIDL + RETR of every message for
 * POP3. Target: ratio >= 0.5 (storing and enqueuing may cost no more than the fetch itself).
 * A second row per protocol runs the poller into a sink that discards, which separates the
 * poller's own cost from the local S3 and SQS stand-ins' (fauxqs and dynalite share this
 * machine's cores with Dovecot and the poller; S3 and SQS take the pollers' 16 stores in parallel).
 * A third row runs the poller into fauxqs and dynalite started in a child process: their CPU is
 * then not the poller's (as with AWS), though on 2 cores they still share the machine with it.
 * Printed, never asserted.
 *
 *   node --import tsx test/bench/poll.bench.ts
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTableInputs } from '../../lambdas/adapters/dynamodb/schema.ts';
import { connectImap } from '../../lambdas/adapters/mailboxes/imap-connect.ts';
import { ImapFlowFolder } from '../../lambdas/adapters/mailboxes/imap-folder.ts';
import { pollDeps, pollServer, type PollWiring } from '../../lambdas/adapters/mailboxes/poll-server.ts';
import { pollMailbox } from '../../lambdas/core/mailboxes/poll-mailbox.ts';
import type { PollDeps } from '../../lambdas/core/mailboxes/poll-ports.ts';
import { connectPop3 } from '../../lambdas/adapters/mailboxes/pop3-client.ts';
import type { MailServer } from '../../lambdas/core/mailboxes/server.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynalite, startFauxqsService } from '../../lambdas/local/services.ts';
import { startDovecot } from '../support/dovecot.ts';
import { printRows } from './report.ts';

const COUNT = process.env.BENCH_SMALL === '1' ? 1_000 : 10_000;
const PASSWORD = 'bench pass';

const [dovecot, dynalite, fauxqs] = await Promise.all([startDovecot(), startDynalite(), startFauxqsService()]);
const standins = await outOfProcess();
const local = await stack(fauxqs.endpoint, dynalite.endpoint, 'bench');
const remote = await stack(standins.fauxqs, standins.dynalite, 'bench-child');
try {
  const { wiring } = local;
  const messages = Array.from({ length: COUNT }, (_, i) => ({ raw: message(i) }));

  // IMAP: the bare fetch first, then the poller from an empty cursor (the same mailbox, the same bytes).
  const imap = await mailbox('imap');
  await dovecot.deliverMany(imap.user, messages);
  const bareImap = await timed(async () => {
    const client = await connectImap(imap, credentials(imap), wiring.connect);
    let n = 0;
    try {
      await client.mailboxOpen('INBOX');
      for await (const m of client.fetch('1:*', { uid: true, source: true }, { uid: true })) if (m.source) n++;
    } finally {
      await client.logout();
    }
    return n;
  });
  const discardImap = await timed(async () => {
    const client = await connectImap(imap, credentials(imap), wiring.connect);
    try {
      const session = { kind: 'imap' as const, folder: new ImapFlowFolder(client, 'INBOX') };
      return (await pollMailbox({ ...imap, id: 'bench-imap-discard' }, session, discarding(wiring), { deadline: Date.now() + 600_000 })).fetched;
    } finally {
      await client.logout();
    }
  });
  const polledImap = await timed(async () => (await pollServer(imap, credentials(imap), wiring, { deadline: Date.now() + 600_000 })).fetched);
  // The same mailbox as another server id (a fresh cursor), into the stand-ins in their own process.
  const childImap = await timed(async () => (await pollServer({ ...imap, id: 'bench-imap-child' }, credentials(imap), remote.wiring, { deadline: Date.now() + 600_000 })).fetched);

  // POP3: the poller deletes what it fetched, so the bare client reads first and deletes nothing.
  const pop3 = await mailbox('pop3');
  await dovecot.deliverMany(pop3.user, messages);
  const barePop3 = await timed(async () => {
    const client = await connectPop3(pop3, credentials(pop3), wiring.connect);
    let n = 0;
    try {
      for (const m of await client.uidl()) {
        for await (const _chunk of await client.retr(m.number));
        n++;
      }
    } finally {
      client.close();
    }
    return n;
  });
  const discardPop3 = await timed(async () => {
    const client = await connectPop3(pop3, credentials(pop3), wiring.connect);
    return (await pollMailbox({ ...pop3, id: 'bench-pop3-discard' }, { kind: 'pop3', mailbox: client }, discarding(wiring), { deadline: Date.now() + 600_000 })).fetched;
  });
  await dovecot.deliverMany(pop3.user, messages);
  const polledPop3 = await timed(async () => (await pollServer(pop3, credentials(pop3), wiring, { deadline: Date.now() + 600_000 })).fetched);
  await dovecot.deliverMany(pop3.user, messages);
  const childPop3 = await timed(async () => (await pollServer({ ...pop3, id: 'bench-pop3-child' }, credentials(pop3), remote.wiring, { deadline: Date.now() + 600_000 })).fetched);

  const target = { ratio: 0.5, higherIsBetter: true };
  printRows(`initial sync of a ${COUNT}-message mailbox (Dovecot on loopback; S3 + SQS on fauxqs, state on dynalite)`, [
    { name: 'IMAP poller -> S3 + queue', ours: polledImap, baseline: bareImap, unit: 'msg/s', target, note: 'baseline: bare imapflow UID FETCH 1:* BODY.PEEK[]' },
    { name: 'IMAP poller -> S3 + queue, stand-ins apart', ours: childImap, baseline: bareImap, unit: 'msg/s', target, note: 'fauxqs + dynalite in their own process (their CPU not the poller\'s)' },
    { name: 'IMAP poller -> discarding sink', ours: discardImap, baseline: bareImap, unit: 'msg/s', target, note: 'the poller without S3/SQS: its own cost (cursor, \\Seen)' },
    { name: 'POP3 poller -> S3 + queue', ours: polledPop3, baseline: barePop3, unit: 'msg/s', target, note: 'baseline: bare UIDL + RETR each (our POP3 client)' },
    { name: 'POP3 poller -> S3 + queue, stand-ins apart', ours: childPop3, baseline: barePop3, unit: 'msg/s', target, note: 'fauxqs + dynalite in their own process (their CPU not the poller\'s)' },
    { name: 'POP3 poller -> discarding sink', ours: discardPop3, baseline: barePop3, unit: 'msg/s', target, note: 'the poller without S3/SQS (seen-set on dynalite, DELE, QUIT)' },
  ]);
} finally {
  local.destroy();
  remote.destroy();
  standins.stop();
  await Promise.allSettled([dovecot.stop(), fauxqs.stop(), dynalite.stop()]);
}

/** Clients, tables, bucket and queue on one fauxqs + dynalite pair, and the poll wiring into them. */
async function stack(fauxqsEndpoint: string, dynaliteEndpoint: string, prefix: string) {
  const config = { region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS };
  const dynamo = new DynamoDBClient({ ...config, endpoint: dynaliteEndpoint });
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const s3 = new S3Client({ ...config, endpoint: fauxqsEndpoint, forcePathStyle: true });
  const sqs = new SQSClient({ ...config, endpoint: fauxqsEndpoint });
  const tables = { interactions: `${prefix}-interactions`, queues: `${prefix}-queues`, config: `${prefix}-config` };
  for (const input of createTableInputs(tables)) await dynamo.send(new CreateTableCommand(input));
  await s3.send(new CreateBucketCommand({ Bucket: `${prefix}-mail` }));
  const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `${prefix}-inbound` }))).QueueUrl!;
  const wiring: PollWiring = { s3, sqs, doc, mailBucket: `${prefix}-mail`, inboundQueueUrl: queueUrl, configTable: tables.config, interactionsTable: tables.interactions, connect: { ca: dovecot.certificate } };
  return { wiring, destroy: () => (s3.destroy(), sqs.destroy(), dynamo.destroy()) };
}

/** fauxqs and dynalite in a child process (poll-standins-child.ts); stopped by closing its stdin. */
async function outOfProcess(): Promise<{ fauxqs: string; dynalite: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'poll-standins-child.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { ...(JSON.parse(line) as { fauxqs: string; dynalite: string }), stop: () => child.stdin!.end() };
}

/** The poll state on dynalite, but a sink that reads each message and stores nothing (the poller's own cost). */
function discarding(wiring: PollWiring): PollDeps {
  const deps = pollDeps(wiring);
  return {
    ...deps,
    sink: {
      store: async (_r, content) => {
        let size = 0;
        for await (const chunk of content) size += chunk.byteLength;
        return { bucket: 'discarded', key: 'discarded', size };
      },
      enqueue: async () => {},
    },
  };
}

async function mailbox(type: 'imap' | 'pop3'): Promise<MailServer> {
  const user = `bench-${type}@example.test`;
  await dovecot.addUser(user, PASSWORD);
  const at = new Date().toISOString();
  return {
    id: `bench-${type}`, type, name: user, description: '', host: dovecot.host, port: type === 'imap' ? dovecot.ports.imaps : dovecot.ports.pop3s, tls: true,
    requireStartTls: false, authType: 'basic', user, sniServerName: 'localhost', disableCompression: false, routing: { kind: 'address', address: user },
    additionalSenders: [], role: 'agent', enabled: true, state: 'ok', createdAt: at, updatedAt: at,
  };
}

function credentials(server: MailServer) {
  return { kind: 'password' as const, user: server.user, password: PASSWORD };
}

/** A typical small support mail (about 2 KB). */
function message(i: number): string {
  const body = `Hello,\r\n\r\nmy order ${i} has not arrived yet. Could you please look into it?\r\n\r\n`.repeat(20);
  return `From: Customer ${i} <c${i}@customer.test>\r\nTo: help@example.test\r\nSubject: Order ${i}\r\nDate: ${new Date().toUTCString()}\r\nMessage-ID: <bench-${i}@customer.test>\r\n\r\n${body}`;
}

/** Messages per second of `run`, which answers how many it handled. */
async function timed(run: () => Promise<number>): Promise<number> {
  const start = performance.now();
  const n = await run();
  const seconds = (performance.now() - start) / 1000;
  if (n !== COUNT) console.log(`!!! handled ${n} of ${COUNT}`);
  return n / seconds;
}
