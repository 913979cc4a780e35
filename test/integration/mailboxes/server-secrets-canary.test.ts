/**
 * The secrets rule (SRV-10, issue 10 item 1's canary): mail servers are added, updated, tested,
 * duplicated and refused through the API of the local runtime, with real connection tests against
 * Dovecot, using recognisable passwords. Then every place a secret could leak is searched: a full
 * scan of every DynamoDB table, every API answer, everything the runtime wrote to stdout and stderr
 * (its log lines, the handlers' structured logs, EMF metrics and event lines) and every file of the
 * data folder but the secrets file. The stored passwords must be in the secrets file (so the search
 * is real) and nowhere else; a password whose save was refused must be nowhere at all.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailConnectionTester } from '../../../lambdas/adapters/mailboxes/connection-tester.ts';
import { FileSecretStore, SECRETS_FILE_NAME } from '../../../lambdas/adapters/secrets/file-secret-store.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { type ApiAnswer } from '../../support/api-call.ts';
import { runtimeCaller } from '../../support/runtime-auth.ts';
import { startDovecot, type DovecotServer } from '../../support/dovecot.ts';
import { SecretCredentials } from '../../support/memory-mail-servers.ts';

const USER = 'support@example.test';
/** The mailbox the update moves the server to, with the second password. */
const USER2 = 'sales@example.test';
/** Stored: the first password, its replacement, and one saved inactive after a failed test. */
const STORED = ['CANARY-first-b8e1-Pässwort', 'CANARY-second-40c7-パスワード', 'CANARY-inactive-9d2a'];
/** Refused: a wrong password whose enabled save failed its test, and one no server can take. */
const REFUSED = ['CANARY-wrong-77f0', 'CANARY-invalid-5e3b'];

/** Every regular file under `dir`, recursively. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** The canaries found in `bytes`, as UTF-8 and as UTF-16 (a JavaScript string dumped raw). */
function canariesIn(bytes: Buffer): string[] {
  return [...STORED, ...REFUSED].filter((c) => bytes.includes(Buffer.from(c, 'utf8')) || bytes.includes(Buffer.from(c, 'utf16le')));
}

describe('no mail server secret outside the secrets file (canary)', () => {
  let dovecot: DovecotServer;
  let runtime: LocalRuntime;
  let dir: string;
  const output: string[] = [];
  const answers: ApiAnswer[] = [];
  const restore: (() => void)[] = [];
  const api = runtimeCaller(() => runtime);
  const call = async (method: string, path: string, body?: unknown) => {
    const answer = await api(method, path, body);
    answers.push(answer);
    return answer;
  };

  beforeAll(async () => {
    // Everything this process writes from here on is the runtime's output (it runs in this process).
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        output.push(Buffer.from(chunk as never).toString('utf8'));
        return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      restore.push(() => (stream.write = write as typeof stream.write));
    }
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const original = console[level];
      console[level] = (...args: unknown[]) => {
        output.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a) ?? String(a))).join(' '));
        original(...args);
      };
      restore.push(() => (console[level] = original));
    }
    dir = await mkdtemp(join(tmpdir(), 'postroom-canary-'));
    dovecot = await startDovecot({ users: { [USER]: STORED[0]!, [USER2]: STORED[1]! } });
    const dataDir = join(dir, 'data');
    runtime = await startLocalRuntime({
      dataDir,
      smtpPort: 0,
      apiPort: 0,
      stateDir: dir,
      verbose: true,
      log: (line) => output.push(line),
      mailServers: { tester: new MailConnectionTester({ ca: dovecot.certificate, timeoutMs: 5_000 }), credentials: new SecretCredentials(FileSecretStore.inDataDir(dataDir)) },
    });
  }, 60_000);
  afterAll(async () => {
    await runtime?.stop();
    await dovecot?.stop();
    for (const undo of restore.reverse()) undo();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every password in the secrets file only', async () => {
    const imap = { type: 'imap', name: 'Canary IMAP', host: dovecot.host, port: dovecot.ports.imaps, sniServerName: 'localhost', user: USER, routing: { kind: 'flow', flowId: 'canary' } };
    expect((await call('PUT', '/flows/canary', { name: 'Canary', rules: [] })).status).toBeLessThan(300);

    const wrong = await call('POST', '/servers', { ...imap, password: REFUSED[0], enabled: true });
    const invalid = await call('POST', '/servers', { ...imap, password: `${REFUSED[1]}\r\n`, enabled: true });
    const added = await call('POST', '/servers', { ...imap, password: STORED[0], enabled: true });
    const id = added.body.server.id as string;
    const changed = await call('PATCH', `/servers/${id}`, { user: USER2, password: STORED[1], description: 'second password' });
    const tested = await call('POST', `/servers/${id}/test`);
    const inactive = await call('POST', '/servers', { ...imap, type: 'pop3', port: dovecot.ports.pop3s, name: 'Canary POP3', password: STORED[2], enabled: true, onConnectionFailure: 'save-inactive' });
    const copy = await call('POST', `/servers/${id}/duplicate`, { name: 'Canary copy' });
    await call('GET', '/servers');
    await call('GET', `/servers/${id}`);
    await call('GET', '/servers/status');
    await call('DELETE', `/servers/${copy.body.server.id}`);

    // The calls did what they say, so the search below looks at real outcomes.
    expect([wrong.status, invalid.status, added.status, changed.status, tested.status, inactive.status, copy.status]).toEqual([422, 400, 201, 200, 200, 201, 201]);
    expect(wrong.body.test).toMatchObject({ ok: false, reason: 'authentication' });
    expect(added.body.test).toMatchObject({ ok: true });
    expect(changed.body.test).toMatchObject({ ok: true });
    expect(inactive.body.server).toMatchObject({ enabled: false, lastErrorReason: 'authentication' });

    const secretsFile = join(runtime.dataDir!, SECRETS_FILE_NAME);
    expect(canariesIn(await readFile(secretsFile)).sort()).toEqual([STORED[1], STORED[2]].sort());
    expect((await stat(secretsFile)).mode & 0o777).toBe(0o600);

    const dynamo = new DynamoDBClient({ endpoint: runtime.endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    const items: unknown[] = [];
    for (const table of (await dynamo.send(new ListTablesCommand({}))).TableNames ?? []) {
      let start: Record<string, never> | undefined;
      do {
        const page = await dynamo.send(new ScanCommand({ TableName: table, ...(start && { ExclusiveStartKey: start }) }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey as typeof start;
      } while (start);
    }
    dynamo.destroy();
    expect(JSON.stringify(items)).toContain(id);
    expect(canariesIn(Buffer.from(JSON.stringify(items)))).toEqual([]);

    expect(canariesIn(Buffer.from(JSON.stringify(answers)))).toEqual([]);
    expect(output.join('').length).toBeGreaterThan(0);
    expect(canariesIn(Buffer.from(output.join('\n')))).toEqual([]);

    const dataFiles = (await filesUnder(runtime.dataDir!)).filter((f) => f !== secretsFile);
    expect(dataFiles.length).toBeGreaterThan(0);
    for (const file of dataFiles) expect(canariesIn(await readFile(file)), file).toEqual([]);
  }, 60_000);
});
