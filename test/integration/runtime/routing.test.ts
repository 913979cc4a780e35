/**
 * Routing end to end on the local runtime: configuration through the HTTP API, mail over SMTP,
 * decisions visible on the interactions (state, queue, skills, trail) and in the outbox.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interactionIdFor } from '../../../lambdas/core/ingest.ts';
import { DynamoOutboxStore } from '../../../lambdas/adapters/dynamodb/outbox-store.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../lambdas/local/runtime.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../lambdas/local/services.ts';
import { startTestDns, type TestDnsServer } from '../../support/dns-server.ts';
import { eventually } from '../../support/eventually.ts';
import { sendMail } from '../../support/smtp-client.ts';
import { runtimeCaller } from '../../support/runtime-auth.ts';
import { outboxIdFor } from '../../../lambdas/core/outbound/outbox.ts';

let runtime: LocalRuntime;
let dns: TestDnsServer;
let stateDir: string;
let outbox: DynamoOutboxStore;

const call = runtimeCaller(() => runtime);

/** Sends a mail and waits until routing has stored its interaction (whatever its state). */
async function deliver(mail: Parameters<typeof sendMail>[1]): Promise<any> {
  const info = await sendMail(runtime.smtp.port, mail);
  const sesId = /queued as ([a-z0-9]+)/.exec(info.response)![1]!;
  const id = interactionIdFor(`ses:${sesId}`);
  return eventually(
    async () => {
      const r = await call('GET', `/interactions/${id}`);
      return r.status === 200 ? r.body.interaction : undefined;
    },
    { what: `interaction ${id}` },
  );
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'postroom-routing-'));
  dns = await startTestDns({ 'customer.example': ['v=spf1 ip4:127.0.0.1 -all'] });
  runtime = await startLocalRuntime({
    memory: true,
    smtpPort: 0,
    apiPort: 0,
    stateDir,
    domains: ['support.example.test'],
    dnsServers: [dns.server],
  });
  const doc = DynamoDBDocumentClient.from(
    new DynamoDBClient({ region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, endpoint: runtime.endpoints.dynamodb }),
  );
  outbox = new DynamoOutboxStore(doc, runtime.resources.interactionsTable);

  expect((await call('POST', '/queues', { id: 'billing', name: 'Billing' })).status).toBe(201);
  const template = await call('PUT', '/templates/ack-en', { name: 'English', subject: 'Received: {{subject}} [{{reference}}]', body: 'Hello {{from.name}}, we have your message.' });
  expect(template.status).toBe(201);
  const flow = await call('PUT', '/flows/triage', {
    name: 'Triage',
    rules: [
      { name: 'urgent', when: [{ field: 'subject', op: 'contains', value: 'urgent' }], then: [{ type: 'setPriority', priority: 50 }, { type: 'tag', tags: ['urgent'] }] },
      { name: 'acknowledge', when: [], then: [{ type: 'autoAcknowledge', templateId: 'ack-en' }] },
    ],
  });
  expect(flow.status).toBe(201);
  const billing = await call('POST', '/addresses', {
    address: 'billing@support.example.test',
    fromName: 'Billing team',
    routing: { kind: 'queue', queueId: 'billing', skills: ['invoices'], language: 'en', priority: 10 },
    spamRouting: { kind: 'disconnect' },
  });
  expect(billing.status).toBe(201);
  const help = await call('POST', '/addresses', { address: 'help@support.example.test', fromName: 'Help', routing: { kind: 'flow', flowId: 'triage' } });
  expect(help.status).toBe(201);
});

afterAll(async () => {
  await runtime?.stop();
  await dns?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe('routing on the local runtime', () => {
  let invoice: any;

  it('routes mail for an address to its queue with its skills, language and priority', async () => {
    invoice = await deliver({ from: 'Ada <ada@customer.example>', to: 'billing@support.example.test', subject: 'Invoice 4711', text: 'My invoice is wrong.' });

    expect(invoice).toMatchObject({ state: 'waiting', queueId: 'billing', skills: ['invoices'], language: 'en', priority: 10 });
    expect(invoice.trail.map((t: any) => t.detail)).toContain('address route billing@support.example.test');
  });

  it('attaches the customer reply to the same interaction', async () => {
    await sendMail(runtime.smtp.port, {
      from: 'Ada <ada@customer.example>',
      to: 'billing@support.example.test',
      subject: 'Re: Invoice 4711',
      text: 'Any news?',
      inReplyTo: invoice.message.messageId,
      references: [invoice.message.messageId],
    });

    const updated = await eventually(
      async () => {
        const { body } = await call('GET', `/interactions/${invoice.id}`);
        return body.interaction.replyCount === 1 ? body.interaction : undefined;
      },
      { what: 'the reply to be attached' },
    );
    expect(updated.trail.some((t: any) => t.step === 'attached' && t.detail.includes('(by in-reply-to)'))).toBe(true);
    const shown = await call('GET', `/interactions/${invoice.id}`);
    expect(shown.body.replies).toEqual([expect.objectContaining({ subject: 'Re: Invoice 4711', textPreview: expect.stringContaining('Any news?') })]);
    const waiting = await call('GET', '/queues/billing/interactions');
    expect(waiting.body.interactions.filter((i: any) => i.subject.includes('Invoice 4711'))).toHaveLength(1);
  });

  it('keeps two messages sharing a Message-ID apart, and attaches a resend of the second to the second', async () => {
    // Prepare: one Message-ID, two different messages (a broken mailer reusing ids)
    const common = { from: 'Bo <bo@customer.example>', to: 'orders@support.example.test', messageId: '<reused-id@customer.example>' };
    const first = await deliver({ ...common, subject: 'Reused id: first', text: 'The first message.', date: new Date('2026-11-20T10:00:00Z') });
    const second = await deliver({ ...common, subject: 'Reused id: second', text: 'A different message.', date: new Date('2026-11-20T11:00:00Z') });

    // Act: the second one arrives again (same content, same Date)
    await sendMail(runtime.smtp.port, { ...common, subject: 'Reused id: second', text: 'A different message.', date: new Date('2026-11-20T11:00:00Z') });

    // Assess
    expect(first.state).toBe('waiting');
    expect(second).toMatchObject({ state: 'waiting' });
    expect(second.id).not.toBe(first.id);
    const shown = await eventually(
      async () => {
        const { body } = await call('GET', `/interactions/${second.id}`);
        return body.interaction.replyCount === 1 ? body.interaction : undefined;
      },
      { what: 'the resend to be attached to the second message' },
    );
    expect(shown.trail.some((t: any) => t.step === 'attached' && t.detail.includes('probable duplicate'))).toBe(true);
    expect((await call('GET', `/interactions/${first.id}`)).body.interaction.replyCount ?? 0).toBe(0);
  });

  it('disconnects spam for an address that disconnects spam, and keeps the record', async () => {
    const spam = await deliver({ from: 'win@lottery.example', to: 'billing@support.example.test', subject: 'You won', text: 'Click', headers: { 'X-Spam-Flag': 'YES' } });

    expect(spam).toMatchObject({ state: 'disconnected', disposition: { reason: 'spam' } });

    // A reply to it (a false positive's sender writing again) reaches a person as new mail.
    const reply = await deliver({
      from: 'win@lottery.example',
      to: 'billing@support.example.test',
      subject: 'Re: You won',
      text: 'This was a real question about my invoice',
      inReplyTo: spam.message.messageId,
      references: [spam.message.messageId],
    });
    expect(reply).toMatchObject({ state: 'waiting', queueId: 'billing' });
    expect(reply.trail.find((t: any) => t.step === 'thread')?.detail).toContain(`${spam.id} was disconnected or set aside`);
  });

  it('sets an auto-reply aside instead of opening an interaction or answering it', async () => {
    const auto = await deliver({ from: 'bob@customer.example', to: 'help@support.example.test', subject: 'Out of office', text: 'I am away', headers: { 'Auto-Submitted': 'auto-replied' } });

    expect(auto).toMatchObject({ state: 'set-aside', disposition: { reason: 'auto-reply' } });
    expect(await outbox.get(outboxIdFor(auto.id, 'auto-acknowledgement'))).toBeUndefined();
  });

  it('lists disconnected and set-aside mail for review, newest first', async () => {
    const { body } = await call('GET', '/disposed');

    expect(body.interactions.map((i: any) => [i.subject, i.state, i.disposition.reason]).filter((r: string[]) => r[0] !== 'Re: You won')).toEqual([
      ['Out of office', 'set-aside', 'auto-reply'],
      ['You won', 'disconnected', 'spam'],
    ]);
  });

  it('runs the address flow and acknowledges a sender with the stored template, at most once per 24 hours', async () => {
    const first = await deliver({ from: 'Carol <carol@customer.example>', to: 'help@support.example.test', subject: 'urgent: cannot log in', text: 'Help!' });
    const second = await deliver({ from: 'Carol <carol@customer.example>', to: 'help@support.example.test', subject: 'another question', text: 'And this?' });

    expect(first).toMatchObject({ state: 'waiting', queueId: 'default', priority: 50, tags: ['urgent'] });
    const ack = await outbox.get(outboxIdFor(first.id, 'auto-acknowledgement'));
    // Its state is the sender's now (the local sender loop takes it up at once): test/integration/sender.
    expect(ack).toMatchObject({ to: ['carol@customer.example'], from: { address: 'help@support.example.test', name: 'Help' } });
    expect(ack?.subject).toMatch(/^Received: urgent: cannot log in \[PR-[0-9A-Z]{8}\]$/);
    expect(ack?.text).toBe('Hello Carol, we have your message.');
    expect(ack?.inReplyTo).toBe(first.message.messageId);
    expect(await outbox.get(outboxIdFor(second.id, 'auto-acknowledgement'))).toBeUndefined();
    expect(second.trail.filter((t: any) => t.step === 'auto-ack').at(-1)?.detail).toMatch(/not sent: .* less than 24 hours/);
  });

  it('gives the waiting billing mail to an agent with the skill and language, once', async () => {
    expect((await call('POST', '/agents', { id: 'ann', name: 'Ann', skills: ['invoices'], languages: ['en'], queues: ['billing'] })).status).toBe(201);
    expect((await call('POST', '/agents', { id: 'ben', name: 'Ben', skills: [], languages: ['en'], queues: ['billing'] })).status).toBe(201);

    const ben = await call('POST', '/agents/ben/next');
    const ann = await call('POST', '/agents/ann/next');
    const second = await call('POST', '/agents/ann/next');
    const none = await call('POST', '/agents/ann/next');

    expect(ben.status).toBe(204);
    expect(ann.status).toBe(200);
    expect(ann.body.interaction.id).toBe(invoice.id); // waited longest at the same priority
    expect(second.body.interaction.message.subject).toBe('Re: You won');
    expect(none.status).toBe(204);
  });
});
