/**
 * `postroom smtp list|show|update` end to end on the local runtime: the SMTP servers of the
 * registry with their sending rate and state; presets, a field error for a rate out of range, and
 * the last error with what to do about it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smtpIntegrationStore } from '../../../lambdas/adapters/dynamodb/smtp-integration-store.ts';
import { runCli } from '../../../lambdas/cli/program.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { runtimeKeyEnv } from '../../support/runtime-auth.ts';

describe('postroom smtp on the local runtime', () => {
  let runtime: LocalRuntime;
  let dir: string;

  const postroom = async (args: readonly string[], env: NodeJS.ProcessEnv = {}) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['--api', runtime.apiUrl, ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env: { ...env, ...runtimeKeyEnv(runtime) }, cwd: dir });
    return { code, out: out.join(''), err: err.join('') };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'postroom-smtp-cli-'));
    runtime = await startLocalRuntime({ dataDir: join(dir, 'data'), smtpPort: 0, apiPort: 0, stateDir: dir, log: () => {} });
  });
  afterAll(async () => {
    await runtime?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists, updates and shows an SMTP integration with its state and last error', async () => {
    const added = await postroom(['server', 'add', '--type', 'smtp', '--name', 'Kampagnen', '--host', 'smtp.office365.com', '--user', 'news@example.com'], { POSTROOM_SERVER_PASSWORD: 'app-pass-1' });
    expect(added, added.err).toMatchObject({ code: 0 });
    const id = /\(([0-9a-f-]{36})\)/.exec(added.out)![1]!;

    const preset = await postroom(['smtp', 'update', id, '--preset', 'microsoft365']);
    const refused = await postroom(['smtp', 'update', id, '--rate', '5000']);
    const custom = await postroom(['smtp', 'update', id, '--rate', '120']);
    // The sender sets the error when the server refuses the login; here the store does it.
    const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: runtime.endpoints.dynamodb, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }));
    await smtpIntegrationStore(doc, runtime.resources.configTable).setError(id, { reason: 'smtp.authentication-failed', detail: '535 5.7.3 Authentication unsuccessful', at: '2026-11-27T00:00:00.000Z' });
    const list = await postroom(['smtp', 'list']);
    const shown = await postroom(['smtp', 'show', id]);

    expect(preset.out).toContain('Updated Kampagnen: 30 messages per minute (microsoft365).');
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('messagesPerMinute');
    expect(custom.out).toContain('120 messages per minute (custom)');
    expect(list.out).toMatch(/ID\s+NAME\s+ENABLED\s+STATE\s+PER MINUTE\s+SENDERS\s+LAST ERROR/);
    // Added without --enable: its server is disabled, so the integration is, whatever the sending state says.
    expect(list.out).toMatch(/Kampagnen\s+no\s+disabled\s+120 \(custom\)\s+news@example\.com\s+smtp\.authentication-failed: 535 5\.7\.3/);
    expect(shown.out).toContain('state:       disabled');
    expect(shown.out).toContain(`Fix it and enable it (postroom server update ${id} --enable`);
    expect(`${list.out}${shown.out}`).not.toContain('app-pass-1');
  });

  it('shows a server disabled after a failed connection test as disabled, with the test\'s words, in smtp list and server list alike', async () => {
    // Nothing listens on port 1 of loopback: the connection test fails and --save-inactive stores the server disabled.
    const added = await postroom(['server', 'add', '--type', 'smtp', '--name', 'Refused', '--host', '127.0.0.1', '--port', '1', '--no-tls', '--user', 'out@example.com', '--enable', '--save-inactive'], { POSTROOM_SERVER_PASSWORD: 'app-pass-2' });
    expect(added, added.err).toMatchObject({ code: 0 });
    const id = /\(([0-9a-f-]{36})\)/.exec(added.out)![1]!;
    const servers = JSON.parse((await postroom(['server', 'list', '--json'])).out) as { servers: { id: string; state: string; lastError: string }[] };
    const server = servers.servers.find((s) => s.id === id)!;

    const list = await postroom(['smtp', 'list']);
    const shown = await postroom(['smtp', 'show', id]);

    expect(server.state).toBe('disabled');
    expect(list.out).toMatch(new RegExp(`Refused\\s+no\\s+disabled\\s+30 \\(custom\\)\\s+out@example\\.com\\s+\\S+: `));
    expect(list.out).not.toMatch(/Refused.*\bvalid\b/);
    expect(shown.out).toContain('state:       disabled');
    expect(shown.out).toContain(`${server.lastError} (connection test)`);
  });

  it('says what is wrong with a missing server or option', async () => {
    expect((await postroom(['smtp', 'show', 'nope'])).err).toMatch(/no such SMTP integration/);
    expect((await postroom(['smtp', 'update', 'nope'])).err).toContain('give --rate, --preset or both');
  });
});
