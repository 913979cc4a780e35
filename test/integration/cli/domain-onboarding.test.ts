/**
 * Onboarding a domain end to end on the local runtime, through the CLI (issue 9 items 7 and 8):
 * `domain add` prints the plan, the BIND fragment of `domain records` is published into a DNS
 * server on loopback (the runtime's `--dns`), `domain check` finds every record right, the check
 * loop stores the domain as verified, mail to an address on it becomes an interaction, and the
 * domain is removed only once no address is on it, after which its mail is refused at RCPT TO.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../lambdas/cli/program.ts';
import type { Domain } from '../../../lambdas/core/domains/domain.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { startTestDns, type TestDnsServer } from '../../support/dns-server.ts';
import { eventually } from '../../support/eventually.ts';
import { sendMail } from '../../support/smtp-client.ts';
import { publish, readBindFragment, SES_PUBLISHED } from '../../support/zone-fragment.ts';
import { runtimeKeyEnv } from '../../support/runtime-auth.ts';

const DOMAIN = 'support.example.org';

describe('onboarding a domain on the local runtime through the CLI', () => {
  let runtime: LocalRuntime;
  let dns: TestDnsServer;
  let dir: string;

  const postroom = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['--api', runtime.apiUrl, ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env: { ...runtimeKeyEnv(runtime) }, cwd: dir });
    return { code, out: out.join(''), err: err.join('') };
  };
  const listed = async (): Promise<Domain[]> => JSON.parse((await postroom('domain', 'list', '--json')).out).domains;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'postroom-onboarding-'));
    dns = await startTestDns(SES_PUBLISHED);
    runtime = await startLocalRuntime({ memory: true, smtpPort: 0, apiPort: 0, stateDir: dir, dnsServers: [dns.server], domainCheckSeconds: 1, log: () => {} });
  });
  afterAll(async () => {
    await runtime?.stop();
    await dns?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('adds support.example.org, prints its records, and verifies it once they are published', async () => {
    // Prepare: the runtime serves its declared domain; the admin adds one and publishes its records
    const declared = await listed();
    const added = await postroom('domain', 'add', DOMAIN, '--dns', dns.server);
    const unpublished = await postroom('domain', 'check', DOMAIN, '--dns', dns.server);
    const bind = await postroom('domain', 'records', DOMAIN, '--bind');
    publish(dns, readBindFragment(bind.out));

    // Act: check it, and wait for the runtime's check loop
    const checked = await postroom('domain', 'check', DOMAIN, '--dns', dns.server);
    const verified = await eventually(async () => (await listed()).find((d) => d.name === DOMAIN && d.status?.verifiedForSending), {
      what: `${DOMAIN} verified by the check loop`,
    });
    const table = await postroom('domain', 'list');

    // Assess: the plan, both checks, the stored status
    expect(declared.map((d) => [d.name, d.owner])).toEqual([['example.test', 'stack']]);
    expect(added, added.err).toMatchObject({ code: 0 });
    expect(added.out).toContain(`Added ${DOMAIN}.`);
    expect(added.out).toContain('publish these records at your DNS host by hand');
    expect(added.out).toMatch(/[a-z2-7]{32}\._domainkey\.support\.example\.org\s+CNAME/);
    expect(added.out).toContain('10 feedback-smtp.us-east-1.amazonses.com');
    expect(unpublished.code).toBe(1);
    expect(unpublished.out).toContain('records need action');
    expect(checked, checked.err).toMatchObject({ code: 0 });
    expect(checked.out).toContain(`DNS of ${DOMAIN}: every required record is right`);
    expect(verified.status).toMatchObject({ identity: 'verified', dkim: 'verified', mailFrom: 'verified', dns: 'ok' });
    expect(table.out).toMatch(new RegExp(`${DOMAIN.replace(/\./g, '\\.')}\\s+api\\s+verified\\s+verified\\s+verified\\s+ok`));
  });

  it('routes mail to an address on it, and removes it only once the address is gone, then refuses its mail', async () => {
    // Prepare: an address route on the new domain
    const address = await postroom('address', 'add', `help@${DOMAIN}`, '--from-name', 'Example Support', '--queue', 'default');
    expect(address, address.err).toMatchObject({ code: 0 });

    // Act: a customer writes to it; the admin tries to remove the domain, removes the address, then the domain
    // The receiver reads a name it missed again at most every MISSED_DOMAIN_REFRESH_MS: a 550 until then.
    await eventually(
      () => sendMail(runtime.smtp.port, { from: 'ada@customer.example', to: `help@${DOMAIN}`, subject: 'Where is my parcel?', text: 'Order 4711 has not arrived.' }),
      { what: `mail to ${DOMAIN} accepted`, intervalMs: 500 },
    );
    const waiting = await eventually(
      async () => {
        const { interactions } = JSON.parse((await postroom('queue', 'list', '--queue', 'default', '--json')).out) as { interactions: Array<{ subject?: string }> };
        return interactions.find((i) => i.subject === 'Where is my parcel?');
      },
      { what: 'the mail to the new domain as an interaction' },
    );
    const refused = await postroom('domain', 'remove', DOMAIN);
    const addressRemoved = await postroom('address', 'remove', `help@${DOMAIN}`);
    const removed = await postroom('domain', 'remove', DOMAIN);
    const rejection = await eventually(
      () => sendMail(runtime.smtp.port, { from: 'ada@customer.example', to: `help@${DOMAIN}`, subject: 'Again', text: 'Hello?' }).then(() => undefined, (err: { responseCode?: number }) => err),
      { what: `mail to ${DOMAIN} refused`, timeoutMs: 45_000, intervalMs: 1_000 },
    );

    // Assess
    expect(waiting).toBeDefined();
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`help@${DOMAIN}`);
    expect(addressRemoved.code).toBe(0);
    expect(removed, removed.err).toMatchObject({ code: 0, out: `Removed ${DOMAIN}.\n` });
    expect((await listed()).map((d) => d.name)).toEqual(['example.test']);
    expect(rejection.responseCode).toBe(550);
  });
});
