/**
 * What the poll bench (poll.bench.ts) runs on: the S3, SQS and DynamoDB stand-ins with their
 * tables, bucket and queue; the stand-ins in a child process; a sink that discards; the mailboxes
 * and their messages; and the CPU time of a process.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTableInputs } from '../../lambdas/adapters/dynamodb/schema.ts';
import { pollDeps, type PollWiring } from '../../lambdas/adapters/mailboxes/poll-server.ts';
import type { PollDeps } from '../../lambdas/core/mailboxes/poll-ports.ts';
import type { MailServer } from '../../lambdas/core/mailboxes/server.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../lambdas/local/services.ts';
import type { DovecotServer } from '../support/dovecot.ts';

export const BENCH_PASSWORD = 'bench pass';

/** Clients, tables, bucket and queue on one fauxqs + dynalite pair, and the poll wiring into them. */
export async function stack(fauxqsEndpoint: string, dynaliteEndpoint: string, prefix: string, dovecot: DovecotServer) {
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
export async function outOfProcess(): Promise<{ fauxqs: string; dynalite: string; cpuMs: () => number; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'poll-standins-child.ts')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return { ...(JSON.parse(line) as { fauxqs: string; dynalite: string }), cpuMs: () => processCpuMs(child.pid!), stop: () => child.stdin!.end() };
}

/** User plus system CPU milliseconds of process `pid` so far (Linux /proc; NaN elsewhere). */
export function processCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return Number.NaN;
  }
}

/** CPU milliseconds of this process so far. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The poll state as `wiring` has it, but a sink that reads each message and stores nothing (the poller's own cost). */
export function discarding(wiring: PollWiring): PollDeps {
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

/** A mailbox `name` of `type` on `dovecot`, as a registered, enabled mail server. */
export async function mailbox(dovecot: DovecotServer, type: 'imap' | 'pop3', name: string = type): Promise<MailServer> {
  const user = `bench-${name}@example.test`;
  await dovecot.addUser(user, BENCH_PASSWORD);
  const at = new Date().toISOString();
  return {
    id: `bench-${name}`, type, name: user, description: '', host: dovecot.host, port: type === 'imap' ? dovecot.ports.imaps : dovecot.ports.pop3s, tls: true,
    requireStartTls: false, authType: 'basic', user, sniServerName: 'localhost', disableCompression: false, routing: { kind: 'address', address: user },
    additionalSenders: [], role: 'agent', enabled: true, state: 'ok', createdAt: at, updatedAt: at,
  };
}

export function credentials(server: MailServer) {
  return { kind: 'password' as const, user: server.user, password: BENCH_PASSWORD };
}

function head(i: number): string {
  return `From: Customer ${i} <c${i}@customer.test>\r\nTo: help@example.test\r\nSubject: Order ${i}\r\nDate: ${new Date().toUTCString()}\r\nMessage-ID: <bench-${i}@customer.test>\r\n`;
}

/** A short support mail in plain text (about 2 KB). */
export function smallMessage(i: number): string {
  return `${head(i)}\r\n${`Hello,\r\n\r\nmy order ${i} has not arrived yet. Could you please look into it?\r\n\r\n`.repeat(20)}`;
}

/** A support mail with a screenshot: the 2 KB text and a 36 KB image in base64 (about 51 KB). */
export function messageWithAttachment(i: number): string {
  const image = Buffer.alloc(36 * 1024, i % 251).toString('base64').replace(/.{76}/g, '$&\r\n');
  return (
    `${head(i)}MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n` +
    `${`Hello,\r\n\r\nmy order ${i} has not arrived yet. Could you please look into it?\r\n\r\n`.repeat(20)}\r\n` +
    `--b${i}\r\nContent-Type: image/png; name="screenshot.png"\r\nContent-Disposition: attachment; filename="screenshot.png"\r\nContent-Transfer-Encoding: base64\r\n\r\n${image}\r\n--b${i}--\r\n`
  );
}
