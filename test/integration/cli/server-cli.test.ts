/**
 * `postroom server ...` end to end on the local runtime (no connection tester wired, so servers are
 * saved disabled): add, list, show, update, duplicate, delete, status, a field error per limit, and
 * a password read from stdin by the real bin, never taken from the command line.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts } from '../../support/dovecot-process.ts';
import { runCli } from '../../../lambdas/cli/program.ts';
import { MAIL_SERVER_LIMITS as L } from '../../../lambdas/core/mailboxes/server.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { POSTROOM_BIN } from '../../support/cli.ts';
import { runtimeKeyEnv } from '../../support/runtime-auth.ts';

const PASSWORD = 'canary-cli-Kennwort-3e9';

describe('postroom server on the local runtime', () => {
  let runtime: LocalRuntime;
  let dir: string;

  const postroom = async (args: readonly string[], env: NodeJS.ProcessEnv = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['--api', runtime.apiUrl, ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env: { ...env, ...runtimeKeyEnv(runtime) }, cwd: dir });
    return { code, out: out.join(''), err: err.join('') };
  };
  const idOf = (out: string) => /\(([0-9a-f-]{36})\)/.exec(out)![1]!;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'postroom-server-cli-'));
    runtime = await startLocalRuntime({ dataDir: join(dir, 'data'), smtpPort: 0, apiPort: 0, stateDir: dir, log: () => {} });
  });
  afterAll(async () => {
    await runtime?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('adds, lists, shows, updates, duplicates and deletes a server', async () => {
    const added = await postroom(['server', 'add', '--type', 'imap', '--name', 'Support 📬', '--host', 'imap.example.com', '--user', 'support@example.com', '--folder', 'Kundenanfragen', '--no-compression', '--backfill-days', '3'], { POSTROOM_SERVER_PASSWORD: PASSWORD });
    expect(added, added.err).toMatchObject({ code: 0 });
    const id = idOf(added.out);
    expect(added.out).toContain('Added Support 📬');
    expect(added.out).toContain('disabled');

    const list = await postroom(['server', 'list']);
    const shown = await postroom(['server', 'show', id]);
    const updated = await postroom(['server', 'update', id, '--description', 'Zweite Fassung', '--port', '1993']);
    const copy = await postroom(['server', 'duplicate', id, '--name', 'Support (Kopie)']);
    const status = await postroom(['server', 'status']);

    expect(list.out).toMatch(/ID\s+NAME\s+TYPE\s+HOST\s+STATE\s+LAST ERROR/);
    expect(list.out).toMatch(/Support 📬\s+imap\s+imap\.example\.com:993\s+disabled/);
    expect(shown.out).toContain('Folder:       Kundenanfragen');
    expect(shown.out).toContain('Secret:       stored');
    expect(shown.out).toContain('Compression:  disabled');
    expect(updated, updated.err).toMatchObject({ code: 0 });
    expect((await postroom(['server', 'show', id])).out).toContain('imap.example.com:1993');
    expect(copy, copy.err).toMatchObject({ code: 0 });
    expect((await postroom(['server', 'show', idOf(copy.out)])).out).toContain('Secret:       none');
    expect(status.out).toMatch(/NAME\s+TYPE\s+STATE\s+LAST SUCCESS\s+FETCHED\s+BACKLOG\s+FAILURES/);
    expect([list.out, shown.out, updated.out, status.out].join('')).not.toContain(PASSWORD);

    const deleted = await postroom(['server', 'delete', id]);
    expect(deleted.out).toBe(`Deleted ${id}.\n`);
    expect((await postroom(['server', 'show', id])).err).toContain('no such mail server');
    expect(await readFile(runtime.secretsFile, 'utf8')).not.toContain(PASSWORD);
  });

  it('tests an enabled server at once and says why the connection failed, in words', async () => {
    const port = (await freePorts(1))[0]!;
    const args = ['server', 'add', '--type', 'smtp', '--name', 'Out', '--host', 'localhost', '--port', String(port), '--no-tls', '--user', 'a@example.com', '--enable'];

    const refused = await postroom(args, { POSTROOM_SERVER_PASSWORD: 'x' });
    const inactive = await postroom([...args, '--save-inactive'], { POSTROOM_SERVER_PASSWORD: 'x' });

    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(new RegExp(`connection failed: .*localhost:${port}`));
    expect(inactive.code, inactive.err).toBe(0);
    expect((await postroom(['server', 'show', idOf(inactive.out)])).out).toMatch(/disabled/);
  });

  it('refuses each field one character over its limit, naming the field', async () => {
    const base = ['server', 'add', '--type', 'imap', '--name', 'N', '--host', 'imap.example.com', '--user', 'u'];
    const over = (n: number) => 'é'.repeat(n + 1);
    const cases: [string, string[], NodeJS.ProcessEnv?][] = [
      ['name', ['--name', over(L.maxNameChars)]],
      ['description', ['--description', over(L.maxDescriptionChars)]],
      ['host', ['--host', `${'a'.repeat(40)}.${'b'.repeat(L.maxHostChars - 40)}`]],
      ['user', ['--user', over(L.maxUserChars)]],
      ['password', [], { POSTROOM_SERVER_PASSWORD: over(L.maxPasswordChars) }],
      ['imapFolder', ['--folder', over(L.maxImapFolderChars)]],
      ['sniServerName', ['--sni', `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(L.maxSniServerNameChars - 182)}`]],
    ];
    for (const [field, args, env] of cases) {
      const res = await postroom([...base, ...args], env);
      expect(res.code, field).toBe(1);
      expect(res.err, field).toMatch(new RegExp(`API error 400 validation: .*\\(${field}: out of range: must be`));
    }
  });

  it('reads the password from stdin with the real bin', async () => {
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
      const child = execFile(
        process.execPath,
        [POSTROOM_BIN, '--api', runtime.apiUrl, 'server', 'add', '--type', 'pop3', '--name', 'Stdin', '--host', 'pop.example.com', '--user', 'p@example.com', '--password-stdin', '--json'],
        { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...runtimeKeyEnv(runtime) }, timeout: 30_000 },
        (err, stdout, stderr) => done({ code: err ? 1 : 0, stdout, stderr }),
      );
      child.stdin!.end(`${PASSWORD}\n`);
    });

    expect(run, run.stderr).toMatchObject({ code: 0 });
    const { server } = JSON.parse(run.stdout) as { server: { id: string; hasSecret: boolean } };
    expect(server.hasSecret).toBe(true);
    expect(JSON.parse(await readFile(runtime.secretsFile, 'utf8'))[`postroom/mail-servers/${server.id}`]).toBe(JSON.stringify({ password: PASSWORD }));
    expect(run.stdout).not.toContain(PASSWORD);
  });
});
