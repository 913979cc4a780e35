/**
 * Issue 11 end to end on the local runtime, through the CLI only: a customer writes to two
 * addresses; an agent answers each with `interaction reply`. The reply from the domain verified
 * in SES (published on a loopback DNS server) goes through SES (aws-ses-v2-local captures it);
 * the reply from the unverified domain goes through the customer's SMTP server in the registry
 * (Dovecot's submission service, relaying to a sink) with a VERP return path. Each carries the
 * threading headers, so the customer's answer joins its interaction; the SMTP path's bounce
 * (a Postfix DSN to the VERP address) marks the record and suppresses the recipient, and the
 * next send to it is refused.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../lambdas/cli/program.ts';
import type { Domain } from '../../../lambdas/core/domains/domain.ts';
import type { OutboxRecord } from '../../../lambdas/core/outbound/outbox.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { readCapturedSesMail } from '../../../lambdas/local/ses-outbound.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { startTestDns, type TestDnsServer } from '../../support/dns-server.ts';
import { startDovecot, type DovecotServer } from '../../support/dovecot.ts';
import { eventually } from '../../support/eventually.ts';
import { sendMail } from '../../support/smtp-client.ts';
import { publish, readBindFragment, SES_PUBLISHED } from '../../support/zone-fragment.ts';
import { runtimeKeyEnv } from '../../support/runtime-auth.ts';

const SES_DOMAIN = 'support.example.org';
const SMTP_DOMAIN = 'shop.example.net';
const SMTP_USER = `help@${SMTP_DOMAIN}`;
const SMTP_PASSWORD = 'submission pass 1';
const CUSTOMER = 'ada@customer.example';

let runtime: LocalRuntime;
let dns: TestDnsServer;
let dovecot: DovecotServer;
let dir: string;
let s3: S3Client;

const postroom = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--api', runtime.apiUrl, ...args], { out: (t) => out.push(t), err: (t) => err.push(t), env: { POSTROOM_SERVER_PASSWORD: SMTP_PASSWORD, ...runtimeKeyEnv(runtime) }, cwd: dir });
  return { code, out: out.join(''), err: err.join('') };
};
const json = async <T>(...args: string[]): Promise<T> => {
  const r = await postroom(...args, '--json');
  expect(r, r.err).toMatchObject({ code: 0 });
  return JSON.parse(r.out) as T;
};
const outboxRecord = (id: string) => json<{ outbox: OutboxRecord }>('outbox', 'show', id).then((r) => r.outbox);
const rawOf = async (record: OutboxRecord) => {
  const object = await s3.send(new GetObjectCommand({ Bucket: record.raw!.bucket, Key: record.raw!.key }));
  return simpleParser(Buffer.from(await object.Body!.transformToByteArray()));
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'postroom-outbound-e2e-'));
  [dns, dovecot] = await Promise.all([startTestDns(SES_PUBLISHED), startDovecot({ users: { [SMTP_USER]: SMTP_PASSWORD } })]);
  const ca = join(dir, 'ca.pem');
  await writeFile(ca, dovecot.certificate);
  runtime = await startLocalRuntime({
    memory: true, smtpPort: 0, apiPort: 0, stateDir: join(dir, '.postroom'), domains: [SES_DOMAIN, SMTP_DOMAIN], dnsServers: [dns.server],
    domainCheckSeconds: 1, mailCaFiles: [ca], returnPathDomain: SES_DOMAIN, log: () => {},
  });
  s3 = new S3Client({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: runtime.endpoints.s3, forcePathStyle: true });
  // The SES domain's records published: the check loop stores it verified for sending.
  publish(dns, readBindFragment((await postroom('domain', 'records', SES_DOMAIN, '--bind')).out));
  await eventually(async () => (await json<{ domains: Domain[] }>('domain', 'list')).domains.find((d) => d.name === SES_DOMAIN && d.status?.verifiedForSending), { what: `${SES_DOMAIN} verified` });
  for (const address of [`help@${SES_DOMAIN}`, SMTP_USER]) {
    const added = await postroom('address', 'add', address, '--from-name', 'Kundenservice Müller', '--queue', 'default');
    expect(added, added.err).toMatchObject({ code: 0 });
  }
  const agent = await postroom('agent', 'add', 'anna', '--name', 'Anna', '--language', 'de', 'ja', 'en', '--queue', 'default');
  expect(agent, agent.err).toMatchObject({ code: 0 });
  // The unverified domain's mailbox sends through its own SMTP server (Dovecot submission, STARTTLS).
  const server = await postroom('server', 'add', '--type', 'smtp', '--name', 'Shop-Postausgang', '--host', '127.0.0.1', '--port', String(dovecot.ports.submission), '--no-tls', '--require-starttls', '--sni', 'localhost', '--user', SMTP_USER, '--enable');
  expect(server, server.err).toMatchObject({ code: 0 });
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  await runtime?.stop();
  await Promise.allSettled([dns?.stop(), dovecot?.stop()]);
  await rm(dir, { recursive: true, force: true });
});

/** The customer's mail to `to`; answers the interaction anna takes with `agent next`. */
async function customerWrites(to: string, subject: string, messageId: string): Promise<string> {
  await sendMail(runtime.smtp.port, { from: `Ada Lovelace <${CUSTOMER}>`, to, subject, text: 'Wo bleibt meine Bestellung? 注文はどこですか。', messageId });
  return eventually(async () => {
    const next = await json<{ interaction: { id: string } | null }>('agent', 'next', 'anna');
    return next.interaction?.id;
  }, { what: `an interaction for ${to}` });
}

/** The customer answers `record` (In-Reply-To its Message-ID); answers the interaction's reply count. */
async function customerAnswers(record: OutboxRecord, interactionId: string): Promise<number | undefined> {
  await sendMail(runtime.smtp.port, { from: CUSTOMER, to: (record.from as { address: string }).address, subject: `Re: ${record.subject}`, text: 'Danke!', inReplyTo: record.messageId, references: [record.messageId] });
  return eventually(async () => {
    const shown = await json<{ interaction: { replyCount?: number } }>('interaction', 'show', interactionId);
    return shown.interaction.replyCount;
  }, { what: 'the customer answer attached' });
}

describe('replies from the local runtime', () => {
  it('sends a reply through SES when its domain is verified, threaded, and the answer joins the interaction', async () => {
    const id = await customerWrites(`help@${SES_DOMAIN}`, 'Lieferung 4711', '<m-4711@customer.example>');

    const replied = await json<{ outbox: OutboxRecord }>('interaction', 'reply', id, '--agent', 'anna', '--text', 'Ihre Bestellung ist unterwegs.');
    const sent = await eventually(async () => {
      const r = await outboxRecord(replied.outbox.id);
      return r.state === 'sent' ? r : undefined;
    }, { what: 'the reply sent' });
    const captured = await readCapturedSesMail(runtime.endpoints.sesOutbound!);
    const mime = await rawOf(sent);
    const listed = await postroom('outbox', 'list', '--captured');
    const replyCount = await customerAnswers(sent, id);

    expect(sent.route).toMatchObject({ kind: 'ses', identity: SES_DOMAIN });
    expect(captured.filter((m) => m.messageId === sent.providerMessageId).map((m) => [m.to, m.subject])).toEqual([[[`"Ada Lovelace" <${CUSTOMER}>`], sent.subject]]);
    expect(listed.out).toMatch(new RegExp(`"Kundenservice Müller" <help@${SES_DOMAIN}>\\s+"Ada Lovelace" <${CUSTOMER}>\\s+Re: Lieferung 4711 \\[PR-`));
    expect(mime.from?.value).toEqual([{ address: `help@${SES_DOMAIN}`, name: 'Kundenservice Müller' }]);
    expect(mime.subject).toMatch(/^Re: Lieferung 4711 \[PR-[0-9A-Z]+\]$/);
    expect(mime.inReplyTo).toBe('<m-4711@customer.example>');
    expect([mime.references].flat()).toEqual(['<m-4711@customer.example>']);
    expect(mime.messageId).toBe(sent.messageId);
    expect(replyCount).toBe(1);
  }, 120_000);

  it('sends through the SMTP server owning the sender with a VERP return path; its bounce suppresses the recipient', async () => {
    const id = await customerWrites(SMTP_USER, 'Rücksendung', '<m-r1@customer.example>');
    const before = dovecot.submitted.length;

    const replied = await json<{ outbox: OutboxRecord }>('interaction', 'reply', id, '--agent', 'anna', '--text', 'Das Etikett kommt per Post.');
    const sent = await eventually(async () => {
      const r = await outboxRecord(replied.outbox.id);
      return r.state === 'sent' ? r : undefined;
    }, { what: 'the reply sent over SMTP' });
    const relayed = dovecot.submitted.slice(before);
    const parsed = await simpleParser(relayed[0]!.raw);
    const replyCount = await customerAnswers(sent, id);

    // The recipient's server bounces it to the VERP address; the record and the suppression list learn it.
    await sendMail(runtime.smtp.port, { envelope: { from: '', to: [relayed[0]!.from] }, raw: postfixBounce(relayed[0]!.from, CUSTOMER) });
    const bounced = await eventually(async () => (await outboxRecord(sent.id)).delivery?.find((e) => e.status === 'bounced'), { what: 'the bounce recorded' });
    const shown = await postroom('interaction', 'show', id);
    const suppressions = await postroom('suppression', 'list');
    const refused = await postroom('interaction', 'reply', id, '--agent', 'anna', '--text', 'Noch einmal.');

    expect(sent.route).toMatchObject({ kind: 'smtp' });
    expect(relayed.map((m) => [m.from, m.to])).toEqual([[`bounces+${sent.id}@${SES_DOMAIN}`, [CUSTOMER]]]);
    expect(parsed.inReplyTo).toBe('<m-r1@customer.example>');
    expect(parsed.messageId).toBe(sent.messageId);
    expect(replyCount).toBe(1);
    expect(bounced).toMatchObject({ recipient: CUSTOMER, status: 'bounced' });
    expect(shown.out).toContain(`${sent.id}  reply  sent via smtp  ${CUSTOMER} bounced`);
    expect(suppressions.out).toContain(CUSTOMER);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('suppressed');
  }, 120_000);
});

/** The DSN Postfix's bounce(8) sends back to `verp` for `recipient` (RFC 3464). */
function postfixBounce(verp: string, recipient: string): string {
  const b = 'B0UNCE.1795000865/mx.customer.example';
  return [
    'From: MAILER-DAEMON@mx.customer.example (Mail Delivery System)', 'Subject: Undelivered Mail Returned to Sender', `To: ${verp}`,
    'Auto-Submitted: auto-replied', 'MIME-Version: 1.0', `Content-Type: multipart/report; report-type=delivery-status; boundary="${b}"`,
    'Message-Id: <20261127000105.B0UNCE@mx.customer.example>', '', `--${b}`, 'Content-Type: text/plain; charset=us-ascii', '',
    `<${recipient}>: host mx.customer.example[192.0.2.25] said: 550 5.1.1 User unknown`, '', `--${b}`,
    'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; mx.customer.example', '', `Final-Recipient: rfc822; ${recipient}`,
    'Action: failed', 'Status: 5.1.1', `Diagnostic-Code: smtp; 550 5.1.1 <${recipient}>: User unknown`, '', `--${b}--`, '',
  ].join('\r\n');
}
