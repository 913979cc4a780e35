/**
 * `postroom dev` as a user runs it, in child processes: a mail sent over SMTP is visible through
 * the CLI, and after a restart on the same data folder the interaction and its raw message are
 * still there (dynalite's files and the file-backed S3).
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { eventually } from '../../support/eventually.ts';
import { sendMail } from '../../support/smtp-client.ts';
import { POSTROOM_BIN } from '../../support/cli.ts';
import { startTestDns, type TestDnsServer } from '../../support/dns-server.ts';

const run = promisify(execFile);
const BIN = POSTROOM_BIN;
let cwd: string;
let child: ChildProcess | undefined;
let dns: TestDnsServer;

interface RuntimeState {
  apiUrl: string;
  smtp: { port: number };
  endpoints: { s3: string };
  mailBucket: string;
}

async function startDev(): Promise<RuntimeState> {
  const args = ['dev', '--smtp-port', '0', '--api-port', '0', '--domain', 'support.example.test', '--dns', dns.server];
  child = spawn(process.execPath, [BIN, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (d) => output.push(String(d)));
  child.stderr!.on('data', (d) => output.push(String(d)));
  // The banner is printed once everything listens; runtime.json is written just before it.
  await eventually(async () => (output.join('').includes('SMTP') ? true : undefined), { timeoutMs: 60_000, what: `the dev banner (${output.join('')})` });
  return JSON.parse(await readFile(join(cwd, '.postroom/runtime.json'), 'utf8')) as RuntimeState;
}

async function stopDev(): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child!.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

async function cli(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [BIN, ...args], { cwd });
  return stdout;
}

beforeAll(async () => {
  dns = await startTestDns({ 'customer.example': ['v=spf1 ip4:127.0.0.1 -all'] });
  cwd = await mkdtemp(join(tmpdir(), 'postroom-dev-'));
});

afterAll(async () => {
  await stopDev();
  await dns?.stop();
  await rm(cwd, { recursive: true, force: true });
});

describe('postroom dev, as a user runs it', () => {
  it('shows a mail through the CLI, and keeps it across a restart', async () => {
    // Prepare
    let state = await startDev();
    await sendMail(state.smtp.port, {
      from: 'Ada <ada@customer.example>',
      to: 'help@support.example.test',
      subject: 'Kept across restarts',
      text: 'Please keep me',
    });
    const listed = await eventually(
      async () => {
        const json = JSON.parse(await cli('queue', 'list', '--queue', 'default', '--json'));
        return json.interactions.find((i: { subject: string }) => i.subject === 'Kept across restarts');
      },
      { what: 'the interaction in `postroom queue list --json`' },
    );
    const table = await cli('queue', 'list');
    expect(table).toContain('Kept across restarts');
    expect(table).toContain('ada@customer.example');

    // Act
    await stopDev();
    state = await startDev();

    // Assess
    const shown = JSON.parse(await cli('interaction', 'show', listed.id, '--json'));
    expect(shown.interaction.message.subject).toBe('Kept across restarts');
    expect(shown.interaction.state).toBe('waiting');
    expect(shown.interaction.message.verdicts.spf).toBe('PASS');
    const s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: state.endpoints.s3, forcePathStyle: true });
    const raw = await s3.send(new GetObjectCommand({ Bucket: state.mailBucket, Key: shown.interaction.message.raw.key }));
    expect(await raw.Body!.transformToString()).toContain('Please keep me');
    const human = await cli('interaction', 'show', listed.id);
    expect(human).toContain('Kept across restarts');
  });
});
