/**
 * `postroom dev` in a child process, its memory read from /proc: memory does not grow with what the
 * runtime has stored (objects stay on disk, nothing is loaded at start), an oversized DATA is
 * refused without being held (RSS grows by a bounded amount of not yet collected socket buffers, not
 * by the message), and what it stored is on disk after a `kill -9` and a restart.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { POSTROOM_BIN } from '../../support/cli.ts';
import { startTestDns, type TestDnsServer } from '../../support/dns-server.ts';
import { eventually } from '../../support/eventually.ts';
import { sendGeneratedMessage, sendMail } from '../../support/smtp-client.ts';

const MiB = 1024 * 1024;
let cwd: string;
let child: ChildProcess | undefined;
let dns: TestDnsServer;

interface RuntimeState {
  apiUrl: string;
  smtp: { port: number };
  endpoints: { s3: string };
  mailBucket: string;
  pid: number;
}

async function startDev(): Promise<{ state: RuntimeState; s3: S3Client }> {
  const args = ['dev', '--smtp-port', '0', '--api-port', '0', '--domain', 'support.example.test', '--dns', dns.server];
  child = spawn(process.execPath, [POSTROOM_BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  await eventually(async () => (output.join('').includes('SMTP') ? true : undefined), { timeoutMs: 60_000, what: `the dev banner (${output.join('')})` });
  const state = JSON.parse(await readFile(join(cwd, '.postroom/runtime.json'), 'utf8')) as RuntimeState;
  const s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: state.endpoints.s3, forcePathStyle: true });
  return { state, s3 };
}

async function stopDev(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child!.once('exit', r));
  child.kill(signal);
  await exited;
}

/** Resident memory of a process in bytes (Linux /proc). */
async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)![1]) * 1024;
}

/** RSS once start-up has settled: the lowest of a few readings a moment apart. */
async function settledRss(pid: number): Promise<number> {
  let lowest = Infinity;
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setTimeout(r, 200));
    lowest = Math.min(lowest, await rssOf(pid));
  }
  return lowest;
}

const sha256 = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  dns = await startTestDns({ 'customer.example': ['v=spf1 ip4:127.0.0.1 -all'] });
  cwd = await mkdtemp(join(tmpdir(), 'postroom-storage-'));
});

afterAll(async () => {
  await stopDev('SIGKILL');
  await dns?.stop();
  await rm(cwd, { recursive: true, force: true });
});

describe.skipIf(process.platform !== 'linux')('local runtime storage, in a child process', () => {
  it('stores 100 MB (20 MB objects), refuses a 150 MB DATA without holding it, and after kill -9 restarts with nothing missing and no more memory', async () => {
    // Prepare: an empty start, its memory, then a mail with an attachment routed.
    let { state, s3 } = await startDev();
    const emptyRss = await settledRss(state.pid);
    const pdf = Buffer.alloc(2 * MiB, 5);
    await sendMail(state.smtp.port, {
      from: 'ada@customer.example',
      to: 'help@support.example.test',
      subject: 'Stored before the crash',
      text: 'see attachment',
      attachments: [{ filename: 'a.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    const interaction = await eventually(async () => {
      const list = (await (await fetch(`${state.apiUrl}/queues/default/interactions`)).json()) as { interactions: { id: string; subject: string }[] };
      const entry = list.interactions.find((i) => i.subject === 'Stored before the crash');
      return entry && ((await (await fetch(`${state.apiUrl}/interactions/${entry.id}`)).json()) as { interaction: any }).interaction;
    }, { what: 'the interaction with an attachment' });

    // Act 1: a 150 MB DATA (the size the review measured), the child's RSS sampled while it arrives.
    const oversized = 150 * MiB;
    let peak = await rssOf(state.pid);
    const sampler = setInterval(() => void rssOf(state.pid).then((rss) => (peak = Math.max(peak, rss)), () => undefined), 20);
    const before = await rssOf(state.pid);
    const reply = await sendGeneratedMessage(state.smtp.port, { from: 'big@customer.example', to: 'help@support.example.test' }, oversized).finally(() => clearInterval(sampler));

    // Assess 1
    expect(reply).toMatch(/^552 /);
    expect(peak - before).toBeLessThan(oversized / 3);
    const inbound = await s3.send(new ListObjectsV2Command({ Bucket: state.mailBucket, Prefix: 'inbound/' }));
    expect(inbound.KeyCount).toBe(1);

    // Act 2: 100 MB of objects, then a crash and a restart on the same folder.
    const object = Buffer.alloc(20 * MiB, 1);
    for (let i = 0; i < 5; i++) {
      object.writeUInt32BE(i, 0);
      await s3.send(new PutObjectCommand({ Bucket: state.mailBucket, Key: `bulk/${i}`, Body: object }));
    }
    s3.destroy();
    await stopDev('SIGKILL');
    ({ state, s3 } = await startDev());
    const fullRss = await settledRss(state.pid);

    // Assess 2: nothing missing, and no more memory than an empty start (generous bound).
    object.writeUInt32BE(3, 0);
    const got = await s3.send(new GetObjectCommand({ Bucket: state.mailBucket, Key: 'bulk/3' }));
    expect(sha256(await got.Body!.transformToByteArray())).toBe(sha256(object));
    const [attachment] = interaction.message.attachments;
    const part = await s3.send(new GetObjectCommand({ Bucket: attachment.blob.bucket, Key: attachment.blob.key }));
    expect(sha256(await part.Body!.transformToByteArray())).toBe(sha256(pdf));
    const raw = await s3.send(new GetObjectCommand({ Bucket: interaction.message.raw.bucket, Key: interaction.message.raw.key }));
    expect(await raw.Body!.transformToString()).toContain('Stored before the crash');
    expect(fullRss - emptyRss).toBeLessThan(40 * MiB);
    s3.destroy();
  }, 240_000);
});
