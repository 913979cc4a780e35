/**
 * `kill -9` at any moment loses nothing accepted with 250 (decision 11). `postroom dev` runs in a
 * child process; 300 distinct mails (every tenth with an attachment) go over SMTP on a few
 * concurrent connections, and the runtime is killed with SIGKILL three times mid-burst, each time
 * restarted on the same data folder. Once the pipeline is quiet, every mail that was answered 250
 * is exactly one interaction: the reconciler re-enqueued what the in-memory queue lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interactionIdFor } from '../../../lambdas/core/ingest.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { POSTROOM_BIN } from '../../support/cli.ts';
import { startTestDns, type TestDnsServer } from '../../support/dns-server.ts';
import { mintCliToken, readIssuerKeys } from '../../../lambdas/local/sign-in/issuer-keys.ts';
import { eventually } from '../../support/eventually.ts';
import { sendMail } from '../../support/smtp-client.ts';

const MAILS = 300;
const CONNECTIONS = 6;
/** Kill when this many mails have been answered 250: early, middle and late in the burst. */
const KILL_AT = [60, 140, 220];

interface RuntimeState {
  apiUrl: string;
  smtp: { port: number };
  endpoints: { dynamodb: string; s3: string };
  mailBucket: string;
  /** The local issuer: the test calls the API as the local CLI does, with an admin token from its key. */
  issuer: { url: string; keyFile: string };
}

/** `Authorization` for the running runtime's API: a fresh admin token minted from its issuer key. */
async function authorization(): Promise<{ authorization: string }> {
  const keys = await readIssuerKeys(state.issuer.keyFile);
  return { authorization: `Bearer ${mintCliToken(keys, state.issuer.url)}` };
}

let cwd: string;
let dns: TestDnsServer;
let child: ChildProcess | undefined;
let state: RuntimeState;
const output: string[] = [];

async function startDev(): Promise<RuntimeState> {
  await rm(join(cwd, '.postroom/runtime.json'), { force: true });
  const args = ['dev', '--smtp-port', '0', '--api-port', '0', '--domain', 'support.example.test', '--dns', dns.server];
  const started = spawn(process.execPath, [POSTROOM_BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  child = started;
  let seen = '';
  started.stdout!.on('data', (d) => ((seen += String(d)), output.push(String(d))));
  started.stderr!.on('data', (d) => output.push(String(d)));
  await eventually(async () => (seen.includes('SMTP') ? true : undefined), { timeoutMs: 90_000, intervalMs: 200, what: 'the dev banner' });
  return JSON.parse(await readFile(join(cwd, '.postroom/runtime.json'), 'utf8')) as RuntimeState;
}

async function kill9(): Promise<void> {
  const c = child!;
  const exited = new Promise((r) => c.once('exit', r));
  c.kill('SIGKILL');
  await exited;
}

const subjectOf = (n: number) => `burst ${n}`;

/** Every accepted mail: its SES message id (from "250 ... queued as <id>") and its number. */
const accepted: { sesId: string; n: number; attachment: boolean }[] = [];
let refused = 0;
let kills = 0;

beforeAll(async () => {
  dns = await startTestDns({ 'customer.example': ['v=spf1 ip4:127.0.0.1 -all'] });
  cwd = await mkdtemp(join(tmpdir(), 'postroom-kill-'));
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  await dns?.stop();
  await rm(cwd, { recursive: true, force: true });
});

describe('kill -9 in a burst', () => {
  // About 60 s on an idle two-core machine; the limit leaves room for a machine busy with other suites.
  it('turns every mail answered 250 into exactly one interaction', { timeout: 360_000 }, async () => {
    // Prepare
    state = await startDev();
    let up: Promise<void> = Promise.resolve();
    let next = 0;

    // Act: a few connections send the burst; a controller kills and restarts the runtime.
    async function connection(): Promise<void> {
      for (let n = next++; n < MAILS; n = next++) {
        await up;
        const attachment = n % 10 === 0;
        try {
          const info = await sendMail(state.smtp.port, {
            from: 'Ada <ada@customer.example>',
            to: 'help@support.example.test',
            subject: subjectOf(n),
            text: `Mail number ${n}`,
            ...(attachment && { attachments: [{ filename: `invoice-${n}.pdf`, content: Buffer.alloc(20_000, n % 256) }] }),
          });
          const sesId = /queued as ([a-z0-9]+)/.exec(info.response)?.[1];
          if (sesId) accepted.push({ sesId, n, attachment });
          else refused++;
        } catch {
          refused++; // the runtime died mid-transaction: not answered 250, not counted
        }
        if (kills < KILL_AT.length && accepted.length >= KILL_AT[kills]!) {
          kills++;
          let restarted!: () => void;
          up = new Promise((r) => (restarted = r));
          await kill9();
          state = await startDev();
          restarted();
        }
      }
    }
    await Promise.all(Array.from({ length: CONNECTIONS }, connection));

    // Assess: wait for quiet, then count.
    expect(kills).toBe(KILL_AT.length);
    expect(accepted.length).toBeGreaterThanOrEqual(MAILS - 60);
    const doc = DynamoDBDocumentClient.from(
      new DynamoDBClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: state.endpoints.dynamodb }),
    );
    const missing = new Set(accepted.map((a) => interactionIdFor(`ses:${a.sesId}`)));
    await eventually(
      async () => {
        for (const id of [...missing]) {
          const res = await fetch(`${state.apiUrl}/interactions/${id}`, { headers: await authorization() });
          if (res.status === 200) missing.delete(id);
        }
        return missing.size === 0 ? true : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 1_000, what: `interactions of all ${accepted.length} accepted mails` },
    ).catch((err: Error) => {
      throw new Error(`${err.message}: ${missing.size} missing after ${kills} kills (${refused} refused); runtime said:\n${output.join('').slice(-3000)}`);
    });
    const items = await scanInteractions(doc);
    const bySubject = new Map<string, number>();
    for (const i of items) bySubject.set(i.message?.subject, (bySubject.get(i.message?.subject) ?? 0) + 1);
    const lost = accepted.filter((a) => !bySubject.has(subjectOf(a.n)));
    const duplicated = accepted.filter((a) => (bySubject.get(subjectOf(a.n)) ?? 0) > 1);
    expect({ lost: lost.length, duplicated: duplicated.length }).toEqual({ lost: 0, duplicated: 0 });
  });

  // The local S3 stand-in answers a PutObject only once the object is fsynced on disk, so a part
  // an interaction names is stored before the interaction is; a kill cannot leave it dangling.
  it('keeps every accepted mail attachment in storage', async () => {
    const s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: state.endpoints.s3, forcePathStyle: true });
    const missing: string[] = [];
    for (const a of accepted.filter((x) => x.attachment)) {
      const res = await fetch(`${state.apiUrl}/interactions/${interactionIdFor(`ses:${a.sesId}`)}`, { headers: await authorization() });
      const { interaction } = (await res.json()) as any;
      expect(interaction.message.attachments).toHaveLength(1);
      const blob = interaction.message.attachments[0].blob;
      const stored = await s3.send(new HeadObjectCommand({ Bucket: blob.bucket, Key: blob.key })).then(() => true, () => false);
      if (!stored) missing.push(blob.key);
    }
    expect(missing).toEqual([]);
  });
});

async function scanInteractions(doc: DynamoDBDocumentClient): Promise<any[]> {
  const out: any[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: 'postroom-interactions',
        FilterExpression: 'begins_with(pk, :i)',
        ExpressionAttributeValues: { ':i': 'I#' },
        ExclusiveStartKey: start,
      }),
    );
    out.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}
