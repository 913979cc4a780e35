/**
 * Large mail and stored data on `postroom dev`, run as a user runs it (one child process, restarted
 * once), its memory read from /proc: a 40 MB message becomes an interaction whose attachment
 * downloads complete; an oversized DATA is refused without being held (RSS grows by a bounded amount
 * of not yet collected socket buffers, not with the message); what the runtime stored is on disk
 * after a `kill -9`, and memory at start does not grow with the data stored.
 * The tests run in order on the shared runtime.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAIL_LIMITS } from '../../../lambdas/core/limits.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { POSTROOM_BIN } from '../../support/cli.ts';
import { startTestDns, type TestDnsServer } from '../../support/dns-server.ts';
import { eventually } from '../../support/eventually.ts';
import { sendGeneratedMessage, sendMail } from '../../support/smtp-client.ts';
import { bytesOf, sha256Hex } from '../../support/bytes.ts';
import { apiCaller } from '../../support/api-call.ts';
import { mintCliToken, readIssuerKeys } from '../../../lambdas/local/sign-in/issuer-keys.ts';

const MiB = 1024 * 1024;
let cwd: string;
let child: ChildProcess | undefined;
let dns: TestDnsServer;
let runtime: { state: RuntimeState; s3: S3Client };
let emptyRss: number;
/** The interaction routed in the first test; its stored parts must survive the crash. */
let routed: any;

interface RuntimeState {
  apiUrl: string;
  issuer: { url: string; keyFile: string };
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

async function interactionBySubject(state: RuntimeState, subject: string, timeoutMs = 20_000) {
  // As the CLI does: an admin token minted with the runtime's key (runtime.json names it).
  const keys = await readIssuerKeys(state.issuer.keyFile);
  const call = apiCaller(() => state.apiUrl, () => `Bearer ${mintCliToken(keys, state.issuer.url)}`);
  return eventually(
    async () => {
      const list = (await call<{ interactions: { id: string; subject: string }[] }>('GET', '/queues/default/interactions')).body;
      const entry = list.interactions.find((i) => i.subject === subject);
      return entry && (await call<{ interaction: any }>('GET', `/interactions/${entry.id}`)).body.interaction;
    },
    { what: `"${subject}" to wait in the default queue`, timeoutMs },
  );
}

beforeAll(async () => {
  dns = await startTestDns({ 'customer.example': ['v=spf1 ip4:127.0.0.1 -all'] });
  cwd = await mkdtemp(join(tmpdir(), 'postroom-large-'));
  runtime = await startDev();
  emptyRss = await settledRss(runtime.state.pid);
}, 120_000);

afterAll(async () => {
  runtime?.s3.destroy();
  await stopDev('SIGKILL');
  await dns?.stop();
  await rm(cwd, { recursive: true, force: true });
});

describe.skipIf(process.platform !== 'linux')('large mail and stored data on postroom dev', () => {
  it('turns a 40 MB message into an interaction whose attachment downloads complete', async () => {
    // Prepare: base64 makes 29 MiB of attachment about 39.7 MiB of message, just under 40 MiB.
    const { state, s3 } = runtime;
    const attachment = randomBytes(29 * MiB);

    // Act
    await sendMail(state.smtp.port, {
      from: 'ada@customer.example',
      to: 'help@support.example.test',
      subject: 'The big scan',
      text: 'Scan attached',
      attachments: [{ filename: 'scan.bin', content: attachment, contentType: 'application/octet-stream' }],
    });

    // Assess
    routed = await interactionBySubject(state, 'The big scan', 120_000);
    const raw = await s3.send(new HeadObjectCommand({ Bucket: routed.message.raw.bucket, Key: routed.message.raw.key }));
    expect(raw.ContentLength).toBeGreaterThan(39 * MiB);
    expect(raw.ContentLength).toBeLessThanOrEqual(MAIL_LIMITS.maxMessageBytes + 4096);
    const [stored] = routed.message.attachments;
    expect(stored).toMatchObject({ filename: 'scan.bin', size: attachment.length });
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: stored.blob.bucket, Key: stored.blob.key }), { expiresIn: 300 });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(sha256Hex(Buffer.from(await res.arrayBuffer()))).toBe(sha256Hex(attachment));
  }, 240_000);

  it('refuses a 150 MB DATA with 552 without holding it, and stores nothing', async () => {
    // Prepare: the size the review measured; the child's RSS is sampled while it arrives.
    const { state, s3 } = runtime;
    const oversized = 150 * MiB;
    const storedBefore = (await s3.send(new ListObjectsV2Command({ Bucket: state.mailBucket, Prefix: 'inbound/' }))).KeyCount;
    const before = await rssOf(state.pid);
    let peak = before;
    const sampler = setInterval(() => void rssOf(state.pid).then((rss) => (peak = Math.max(peak, rss)), () => undefined), 20);

    // Act
    const reply = await sendGeneratedMessage(state.smtp.port, { from: 'big@customer.example', to: 'help@support.example.test' }, oversized).finally(() =>
      clearInterval(sampler),
    );

    // Assess
    expect(reply).toMatch(/^552 /);
    expect(reply).toContain(`maximum size of ${MAIL_LIMITS.maxMessageBytes} bytes`);
    expect(peak - before).toBeLessThan(oversized / 3);
    const storedAfter = (await s3.send(new ListObjectsV2Command({ Bucket: state.mailBucket, Prefix: 'inbound/' }))).KeyCount;
    expect(storedAfter).toBe(storedBefore);
  }, 240_000);

  it('after kill -9 restarts with nothing missing, and with no more memory for 100 MB stored', async () => {
    // Prepare: 100 MB of 20 MB objects.
    const object = Buffer.alloc(20 * MiB, 1);
    for (let i = 0; i < 5; i++) {
      object.writeUInt32BE(i, 0);
      await runtime.s3.send(new PutObjectCommand({ Bucket: runtime.state.mailBucket, Key: `bulk/${i}`, Body: object }));
    }
    runtime.s3.destroy();

    // Act
    await stopDev('SIGKILL');
    runtime = await startDev();
    const fullRss = await settledRss(runtime.state.pid);

    // Assess: what was stored is there, and memory at start is that of an empty start (generous bound).
    const { s3 } = runtime;
    object.writeUInt32BE(3, 0);
    const got = await s3.send(new GetObjectCommand({ Bucket: runtime.state.mailBucket, Key: 'bulk/3' }));
    expect(sha256Hex(await bytesOf(got.Body))).toBe(sha256Hex(object));
    const [attachment] = routed.message.attachments;
    const part = await s3.send(new HeadObjectCommand({ Bucket: attachment.blob.bucket, Key: attachment.blob.key }));
    expect(part.ContentLength).toBe(attachment.size);
    const raw = await s3.send(new GetObjectCommand({ Bucket: routed.message.raw.bucket, Key: routed.message.raw.key, Range: 'bytes=0-65535' }));
    expect(await raw.Body!.transformToString()).toContain('Subject: The big scan');
    expect(fullRss - emptyRss).toBeLessThan(40 * MiB);
  }, 240_000);
});
