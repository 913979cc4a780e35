/**
 * Served domains are data on the local runtime: its `--domain` names are stored as `stack` domains
 * at start, and a domain stored while it runs is accepted by the SMTP receiver and routed without
 * a restart (within MISSED_DOMAIN_REFRESH_MS of the caches' last read).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MISSED_DOMAIN_REFRESH_MS } from '../../../lambdas/adapters/config/served-domains.ts';
import { DynamoDomainStore } from '../../../lambdas/adapters/dynamodb/domain-store.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { runtimeCaller } from '../../support/runtime-auth.ts';
import { eventually } from '../../support/eventually.ts';
import { domainRecord } from '../../support/factories.ts';
import { sendMail } from '../../support/smtp-client.ts';

let runtime: LocalRuntime;
let stateDir: string;
let domains: DynamoDomainStore;

const call = runtimeCaller(() => runtime);
const api = <T = any>(path: string) => call<T>('GET', path);

async function waitingBySubject(subject: string) {
  return eventually(
    async () => (await api('/queues/default/interactions')).body.interactions?.find((i: { subject: string }) => i.subject === subject),
    { what: `"${subject}" to wait in the default queue` },
  );
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'postroom-served-'));
  runtime = await startLocalRuntime({ memory: true, smtpPort: 0, apiPort: 0, stateDir, domains: ['Support.Example.test'], dnsServers: ['127.0.0.1:9'] });
  const client = new DynamoDBClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: runtime.endpoints.dynamodb });
  domains = new DynamoDomainStore(DynamoDBDocumentClient.from(client), runtime.resources.configTable);
}, 60_000);

afterAll(async () => {
  await runtime?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe('served domains on the local runtime', () => {
  it('stores its --domain names as stack domains at start', async () => {
    // Act
    const stored = await domains.list();

    // Assess
    expect(stored.map((d) => [d.name, d.owner, d.mailFromDomain])).toEqual([['support.example.test', 'stack', 'bounce.support.example.test']]);
  });

  it('accepts and routes mail for a domain stored while it runs, without a restart', async () => {
    // Prepare: mail for the declared domain is routed (the receiver and routing have read the
    // domains), and a domain that is not stored yet is refused
    await sendMail(runtime.smtp.port, { from: 'ada@customer.example', to: 'help@support.example.test', subject: 'Before the new domain', text: 'hi' });
    await waitingBySubject('Before the new domain');
    // Both caches' lists are now older than the miss-refresh interval: the refused RCPT below makes
    // the receiver read again, and routing reads again on its first miss after it.
    await new Promise((resolve) => setTimeout(resolve, MISSED_DOMAIN_REFRESH_MS));
    const early = sendMail(runtime.smtp.port, { from: 'ada@customer.example', to: 'help@new.example.test', subject: 'Too early', text: 'hi' });
    await expect(early).rejects.toMatchObject({ responseCode: 550 });

    // Act: an admin stores the domain; the client retries as a sending MTA would
    await domains.create(domainRecord('new.example.test'));
    const started = Date.now();
    const sent = await eventually(
      async () => {
        try {
          return await sendMail(runtime.smtp.port, { from: 'ada@customer.example', to: 'help@new.example.test', subject: 'To the new domain', text: 'hello' });
        } catch (err) {
          if ((err as { responseCode?: number }).responseCode === 550) return undefined;
          throw err;
        }
      },
      { timeoutMs: MISSED_DOMAIN_REFRESH_MS * 3, intervalMs: 250, what: 'the receiver to accept the new domain' },
    );

    // Assess: accepted within the miss-refresh interval (well inside the 30 s cache), and routed, not quarantined
    expect(sent.accepted).toEqual(['help@new.example.test']);
    expect(Date.now() - started).toBeLessThan(MISSED_DOMAIN_REFRESH_MS * 2);
    const routed = await waitingBySubject('To the new domain');
    const { body } = await api(`/interactions/${routed.id}`);
    expect(body.interaction.state).toBe('waiting');
    expect(body.interaction.message.recipients).toEqual(['help@new.example.test']);
  });
});
