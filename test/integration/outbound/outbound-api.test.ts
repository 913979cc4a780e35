/**
 * Sending through the HTTP API (issue 11 item 1) over dynalite and the local file S3: an upload by
 * presigned PUT, a reply by the agent holding the claim (From, hidden BCC, threading, the
 * conversation and the thread index), an idempotent retry, the refusals before anything is
 * enqueued (422 with field issues), and a notification from a stored template.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAddressRouteStore } from '../../../lambdas/adapters/dynamodb/config-store.ts';
import { DynamoInteractionStore } from '../../../lambdas/adapters/dynamodb/interaction-store.ts';
import { DynamoOutboxStore } from '../../../lambdas/adapters/dynamodb/outbox-store.ts';
import { DynamoThreadIndex } from '../../../lambdas/adapters/dynamodb/thread-index.ts';
import { SignedS3 } from '../../../lambdas/adapters/aws/signed-request.ts';
import type { OutboundApiDeps } from '../../../lambdas/adapters/api/deps.ts';
import { normalizeMessageId } from '../../../lambdas/core/routing/threading.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { startS3FileServer, type S3FileServer } from '../../../lambdas/local/s3-file-server.ts';
import { dynamoApiApp, serveApi, type ServedApi } from '../../support/api-app.ts';
import { runPostroom } from '../../support/cli.ts';
import { writeFile } from 'node:fs/promises';
import { addressRoute, at } from '../../support/factories.ts';
import { fixedIntegrations, recordingNotifier, verifiedDomains } from '../../support/outbound-fakes.ts';
import { outboundApiDeps } from '../../../lambdas/adapters/outbound-api-deps.ts';
import { createTables, waiting, type Tables } from '../dynamodb/fixtures.ts';

const BUCKET = 'mail';

describe('sending through the API', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let s3: S3FileServer;
  let root: string;
  let app: Hono;
  let outbox: DynamoOutboxStore;
  let threads: DynamoThreadIndex;
  let served: ServedApi;
  const notifier = recordingNotifier();
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(path, { method, headers: { 'content-type': 'application/json' }, ...(body !== undefined && { body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'outbound-api');
    root = await mkdtemp(join(tmpdir(), 'outbound-api-'));
    s3 = await startS3FileServer({ root, buckets: [BUCKET], durable: false });
    outbox = new DynamoOutboxStore(tables.doc, tables.interactions);
    threads = new DynamoThreadIndex(tables.doc, tables.interactions);
    const signed = new SignedS3({ credentials: async () => LOCAL_CREDENTIALS, region: async () => LOCAL_REGION }, s3.endpoint);
    const tableNames = { interactionsTable: tables.interactions, queuesTable: tables.queues, configTable: tables.config };
    // Production's wiring; only the facts of domains and SMTP servers are fixed here (their own suites test them).
    const outbound: OutboundApiDeps = {
      ...outboundApiDeps(tables.doc, tableNames, BUCKET, signed, notifier, () => at(10)),
      sendingDomains: verifiedDomains(['example.test']),
      integrations: fixedIntegrations([{ serverId: 'srv1', name: 'Newsletter', enabled: true, senders: ['news@mail.other.test'], role: 'agent', state: 'valid', messagesPerMinute: 30 }]),
    };
    await outbound.suppressions.add({ address: 'bounced@customer.test', reason: 'bounce', detail: '5.1.1 user unknown', at: at(0).toISOString() });
    const conversations = outbound.conversations;
    app = dynamoApiApp(tables, { domains: ['example.test'], acd: true }, { outbound, conversations, suppressions: outbound.suppressions });
    await new DynamoAddressRouteStore(tables.doc, tables.config).create(route);
    const interactions = new DynamoInteractionStore(tables.doc, tables.interactions);
    // Claimed as agents claim: the queue, the agent, `next` once per interaction.
    expect((await call('POST', '/queues', { id: 'default', name: 'Default' })).status).toBe(201);
    expect((await call('POST', '/agents', { id: 'anna', name: 'Anna', languages: ['en'], queues: ['default'] })).status).toBe(201);
    for (const [n, id] of ['i-reply', 'i-refuse', 'i-cli'].entries()) {
      await interactions.create(waiting(id, { enqueuedAt: at(1 + n), priority: 0, subject: 'Where is my order?' }));
      expect((await call('POST', '/agents/anna/next', {})).body.interaction.id).toBe(id);
    }
    served = await serveApi(app);
  });
  afterAll(async () => {
    await served?.close();
    tables?.destroy();
    await s3?.stop();
    await dynalite?.stop();
    if (root) await rm(root, { recursive: true, force: true });
  });

  const route = addressRoute('support@example.test', { fromName: 'Example Support', replyTo: 'answers@example.test', bcc: ['archive@example.test'] });

  it('uploads an attachment and replies from the address the customer wrote to, once per request id', async () => {
    // Prepare: the upload, by presigned PUT as a client does it
    const bytes = Buffer.from('%PDF-1.7 invoice');
    const ticket = await call('POST', '/uploads', { filename: 'Rechnung März.pdf', contentType: 'application/pdf', size: bytes.length });
    expect(ticket.status).toBe(201);
    const { uploadId, url, headers } = ticket.body.upload;
    const put = await fetch(url, { method: 'PUT', headers, body: bytes });
    expect(put.status).toBe(200);

    // Act
    const reply = { agentId: 'anna', text: 'Your order ships today.', attachments: [uploadId], requestId: 'req-1' };
    const first = await call('POST', '/interactions/i-reply/reply', reply);
    const again = await call('POST', '/interactions/i-reply/reply', reply);
    const shown = await call('GET', '/interactions/i-reply');
    const closed = await call('POST', '/interactions/i-reply/close', { agentId: 'anna' });
    const afterClose = await call('POST', '/interactions/i-reply/reply', reply);
    const freshAfterClose = await call('POST', '/interactions/i-reply/reply', { ...reply, requestId: 'req-2' });

    // Assess
    expect(first.status, JSON.stringify(first.body)).toBe(202);
    const record = first.body.outbox;
    expect(record).toMatchObject({
      interactionId: 'i-reply',
      purpose: 'reply',
      state: 'pending',
      from: { address: 'support@example.test', name: 'Example Support' },
      to: [{ address: 'alice@customer.test', name: 'Alice Example' }],
      replyTo: { address: 'answers@example.test' },
      subject: expect.stringMatching(/^Re: Where is my order\? \[PR-[0-9A-Z]{8}\]$/),
      inReplyTo: '<i-reply@customer.test>',
      attachments: [{ filename: 'Rechnung März.pdf', contentType: 'application/pdf', size: bytes.length, blob: { bucket: BUCKET, key: `uploads/${uploadId}` } }],
    });
    expect(record).not.toHaveProperty('hiddenBcc');
    expect((await outbox.get(record.id))?.hiddenBcc).toEqual(['archive@example.test']);
    expect(again).toMatchObject({ status: 202, body: { enqueued: false, outbox: { id: record.id } } });
    expect(first.body.enqueued).toBe(true);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(afterClose).toMatchObject({ status: 202, body: { enqueued: false, outbox: { id: record.id } } });
    expect(freshAfterClose).toMatchObject({ status: 409, body: { error: { reason: 'interaction.not-claimed' } } });
    expect(notifier.notified.filter((id) => id === record.id).length).toBeGreaterThanOrEqual(1);
    expect(shown.body.replies).toEqual([expect.objectContaining({ direction: 'out', outboxId: record.id, messageId: record.messageId, subject: record.subject })]);
    expect(shown.body.interaction.trail.at(-1)).toMatchObject({ step: 'reply', detail: expect.stringContaining(`${record.id} by anna to alice@customer.test`) });
    expect(await threads.lookup([normalizeMessageId(record.messageId)!])).toEqual([expect.objectContaining({ interactionId: 'i-reply', direction: 'out' })]);
  });

  it('refuses a send to an address an admin suppressed by hand, as to a bounced one', async () => {
    expect((await call('POST', '/suppressions', { address: 'Quiet@Customer.test', note: 'asked for no more mail' })).status).toBe(201);
    const refused = await call('POST', '/interactions/i-refuse/reply', { agentId: 'anna', text: 'Hello', cc: ['quiet@customer.test'] });
    expect(refused).toMatchObject({ status: 422, body: { error: { reason: 'outbound.recipient-suppressed', issues: [{ path: 'cc', message: expect.stringContaining('quiet@customer.test (manual)') }] } } });
  });

  it('refuses before enqueueing: suppressed or too many recipients, a missing upload, no route; 409 for another agent', async () => {
    const base = { agentId: 'anna', text: 'Hello' };
    const suppressed = await call('POST', '/interactions/i-refuse/reply', { ...base, cc: ['bounced@customer.test'] });
    const many = await call('POST', '/interactions/i-refuse/reply', { ...base, bcc: Array.from({ length: 49 }, (_, i) => `p${i}@customer.test`) });
    const missing = await call('POST', '/interactions/i-refuse/reply', { ...base, attachments: [`u-${'0'.repeat(32)}`] });
    const other = await call('POST', '/interactions/i-refuse/reply', { ...base, agentId: 'bob' });
    const noRoute = await call('POST', '/send', { from: 'sales@unverified.test', to: ['alice@customer.test'], subject: 'Hi', text: 'Hello' });
    const injected = await call('POST', '/interactions/i-refuse/reply', { ...base, subject: 'Hi\r\nBcc: evil@x.test' });
    const addressName = await call('POST', '/interactions/i-refuse/reply', { ...base, cc: [{ address: 'c@customer.test', name: '"Bank" <ceo@bank.example>, Evil' }] });
    const twoInOne = await call('POST', '/interactions/i-refuse/reply', { ...base, to: ['a@customer.test, b@customer.test'] });

    expect(suppressed).toMatchObject({ status: 422, body: { error: { code: 'send-refused', reason: 'outbound.recipient-suppressed', issues: [{ path: 'cc', reason: 'outbound.recipient-suppressed' }] } } });
    expect(many).toMatchObject({ status: 422, body: { error: { reason: 'outbound.too-many-recipients', fields: { bcc: expect.stringContaining('51 recipients') } } } });
    expect(missing).toMatchObject({ status: 422, body: { error: { issues: [{ path: 'attachments[0]', reason: 'upload.not-found' }] } } });
    expect(other).toMatchObject({ status: 409, body: { error: { reason: 'interaction.claimed-by-other' } } });
    expect(noRoute).toMatchObject({ status: 422, body: { error: { issues: [{ path: 'from', reason: 'outbound.sender-not-allowed' }] } } });
    expect(injected).toMatchObject({ status: 400, body: { error: { fields: { subject: expect.any(String) } } } });
    expect(addressName).toMatchObject({ status: 400, body: { error: { issues: [{ path: 'cc[0].name' }] } } });
    expect(twoInOne).toMatchObject({ status: 400, body: { error: { issues: [{ path: 'to[0].address' }] } } });
    expect((await call('GET', '/interactions/i-refuse')).body.replies).toEqual([]);
  });

  it('sends a notification from a stored template through the SMTP server that owns the sender; a long body goes to S3', async () => {
    await call('PUT', '/templates/shipped', { name: 'Shipped', subject: 'Your order {{reference}} shipped', body: 'Hello {{from.name}}, it is on its way.' });
    const note = await call('POST', '/send', { from: 'news@mail.other.test', to: ['alice@customer.test'], template: 'shipped', variables: { reference: 'A-17', 'from.name': 'Alice' } });
    const long = await call('POST', '/send', { from: 'support@example.test', to: ['alice@customer.test'], subject: 'Long', text: 'x'.repeat(70_000) });
    const unknownVar = await call('POST', '/send', { from: 'news@mail.other.test', to: ['alice@customer.test'], template: 'shipped', variables: { secret: 'x' } });

    expect(note).toMatchObject({ status: 202, body: { outbox: { purpose: 'notification', templateId: 'shipped', subject: 'Your order A-17 shipped', text: 'Hello Alice, it is on its way.', from: { address: 'news@mail.other.test' }, requestedBy: 'admin' } } });
    expect(long.status).toBe(202);
    const stored = await outbox.get(long.body.outbox.id);
    expect(stored).toMatchObject({ purpose: 'new', from: { name: 'Example Support' }, textBlob: { bucket: BUCKET, key: `outbound/${stored!.id}/text`, size: 70_000 } });
    expect(stored!.text!.length).toBeLessThan(70_000);
    expect(unknownVar.status).toBe(400);
    // Addresses are normalized before the route decision (issue 11 item 6): IDN as punycode, local part kept.
    const idn = await call('POST', '/send', { from: 'support@example.test', to: [{ name: 'Jürgen', address: 'Kunde@Bücher.Example' }], subject: 'Hallo', text: 'x' });
    expect(idn).toMatchObject({ status: 202, body: { outbox: { to: [{ name: 'Jürgen', address: 'Kunde@xn--bcher-kva.example' }] } } });
  });

  it('replies with an attachment, forwards and sends a notification through the CLI; refusals in one line', async () => {
    const postroom = (...args: string[]) => runPostroom(['--api', served.url, ...args]);
    const file = join(root, 'label.pdf');
    await writeFile(file, '%PDF-1.7 label');
    const bodyFile = join(root, 'body.txt');
    await writeFile(bodyFile, 'Here is your return label.\n');

    const reply = await postroom('interaction', 'reply', 'i-cli', '--agent', 'anna', '--text-file', bodyFile, '--attach', file, '--cc', 'Bob <bob@customer.test>', '--request-id', 'cli-1');
    const forward = await postroom('interaction', 'reply', 'i-cli', '--agent', 'anna', '--forward', '--to', 'expert@partner.test', '--text', 'Please have a look', '--json');
    const refusedReply = await postroom('interaction', 'reply', 'i-cli', '--agent', 'anna', '--text', 'x', '--bcc', 'bounced@customer.test');
    const notification = await postroom('send', '--from', 'news@mail.other.test', '--to', 'alice@customer.test', '--template', 'shipped', '--var', 'reference=B-2', 'from.name=Alice');

    expect(reply.stderr).toBe('');
    expect(reply.stdout).toMatch(/^Enqueued o-[0-9a-f]{20} \(reply, pending\): "Re: Where is my order\? \[PR-[0-9A-Z]{8}\]"\n  Message-ID: <pr\./);
    const id = /o-[0-9a-f]{20}/.exec(reply.stdout)![0];
    const stored = await outbox.get(id);
    expect(stored).toMatchObject({ text: 'Here is your return label.\n', cc: [{ address: 'bob@customer.test', name: 'Bob' }], attachments: [{ filename: 'label.pdf', contentType: 'application/pdf', size: 14 }] });
    expect(JSON.parse(forward.stdout).outbox).toMatchObject({ purpose: 'forward', to: [{ address: 'expert@partner.test' }], attachments: [{ contentType: 'message/rfc822' }] });
    expect(refusedReply).toMatchObject({ code: 1, stderr: expect.stringMatching(/^postroom: API error 422 send-refused: .*bounced@customer\.test \(bounce\) is suppressed/) });
    // Each issue once: the server's `not sent: bcc: ...` says it, the CLI does not repeat it in parentheses.
    expect(refusedReply.stderr.match(/bounced@customer\.test \(bounce\) is suppressed/g)).toHaveLength(1);
    expect(notification.stdout).toMatch(/^Enqueued o-[0-9a-f]{20} \(notification, pending\): "Your order B-2 shipped"/);

    const conversation = await postroom('interaction', 'show', 'i-cli');
    expect(conversation.stdout).toContain(`sent ${id}  Example Support <support@example.test>  Re: Where is my order?`);
    const shown = await postroom('outbox', 'show', id);
    expect(shown.stdout).toContain(`Outbox ${id} (pending)`);
    expect(shown.stdout).toContain('From:         Example Support <support@example.test>');
    expect(shown.stdout).not.toContain('archive@example.test');
  });

  it('lists and shows the outbox, and resends only an uncertain or failed record (API and CLI)', async () => {
    const postroom = (...args: string[]) => runPostroom(['--api', served.url, ...args]);
    const listed = await call('GET', '/outbox?interaction=i-reply');
    const [record] = listed.body.outbox;
    const pendingResend = await call('POST', `/outbox/${record.id}/resend`, {});
    await outbox.beginSending(record.id, at(11), 60_000);
    await outbox.markFailed(record.id, { reason: 'ses.message-rejected', detail: 'Email address is not verified.', at: at(11).toISOString() }, undefined, at(11));
    const failed = await postroom('outbox', 'list', '--state', 'failed');
    const shown = await postroom('outbox', 'show', record.id);
    const before = notifier.notified.length;
    const resent = await postroom('outbox', 'resend', record.id);
    const missing = await call('GET', '/outbox/o-00000000000000000000');

    expect(listed.status).toBe(200);
    expect(listed.body.outbox).toHaveLength(1);
    expect(record).toMatchObject({ interactionId: 'i-reply', purpose: 'reply' });
    expect(record).not.toHaveProperty('hiddenBcc');
    expect(pendingResend).toMatchObject({ status: 409, body: { error: { reason: 'outbox.not-resendable' } } });
    expect(failed.stdout).toContain(`${record.id}  failed  reply`);
    expect(shown.stdout).toContain('Failure:      ses.message-rejected: Email address is not verified.');
    expect(resent.stdout).toBe(`Outbox ${record.id} is pending again; it will be sent with Message-ID ${record.messageId}.\n`);
    expect(notifier.notified.slice(before)).toEqual([record.id]);
    expect(missing).toMatchObject({ status: 404, body: { error: { reason: 'outbox.not-found' } } });
  });
});
