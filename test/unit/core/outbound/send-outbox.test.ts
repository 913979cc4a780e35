/**
 * The sender's core with in-memory ports: each branch of one attempt (sent, suppressed, no route,
 * held, rate-limited, transient, permanent, integration fault, busy, expired lease, redelivery)
 * and what it leaves on the record and at the transport.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { DeploymentError, PermanentError, TransientError } from '../../../../lambdas/core/errors.ts';
import { IntegrationFault, type SmtpIntegration } from '../../../../lambdas/core/outbound/outbound-ports.ts';
import { outboxIdForRequest, type NewOutboxRecord } from '../../../../lambdas/core/outbound/outbox.ts';
import { sendOutbox, type SendOutboxDeps } from '../../../../lambdas/core/outbound/send-outbox.ts';
import { CountingComposer, FixedRateLimiter, MemoryIntegrations, MemoryOutbox, MemorySendingDomains, MemorySuppressions, RecordingTransport } from '../../../support/memory-outbox.ts';

const NOW = new Date('2026-11-26T12:00:00.000Z');
const later = (ms: number) => new Date(NOW.getTime() + ms);
const SMTP: SmtpIntegration = { serverId: 'srv-1', name: 'Office 365', enabled: true, senders: ['sales@other.test'], role: 'agent', state: 'valid', messagesPerMinute: 30 };

function reply(over: Partial<NewOutboxRecord> = {}): NewOutboxRecord {
  const id = outboxIdForRequest('agent-1', `r-${Math.random()}`);
  return { id, purpose: 'reply', to: [{ address: 'Customer@Customer.test' }], cc: [{ address: 'cc@customer.test' }], hiddenBcc: ['audit@example.test'], from: { address: 'support@example.test' }, subject: 'Re: hi', text: 'hello', references: [], messageId: `<${id}@example.test>`, ...over };
}

describe('sendOutbox', () => {
  let outbox: MemoryOutbox;
  let transport: RecordingTransport;
  let composer: CountingComposer;
  let limiter: FixedRateLimiter;
  let integrations: MemoryIntegrations;
  let suppressions: MemorySuppressions;
  let deps: SendOutboxDeps;
  const enqueue = async (over: Partial<NewOutboxRecord> = {}) => {
    const r = reply(over);
    await outbox.enqueue(r, NOW);
    return r.id;
  };

  beforeEach(() => {
    outbox = new MemoryOutbox();
    transport = new RecordingTransport();
    composer = new CountingComposer();
    limiter = new FixedRateLimiter();
    integrations = new MemoryIntegrations([SMTP]);
    suppressions = new MemorySuppressions();
    deps = {
      outbox,
      suppressions,
      sendingDomains: new MemorySendingDomains(new Set(['example.test'])),
      integrations,
      rateLimiter: limiter,
      composer,
      transport,
      returnPathFor: (route, record) => (route.kind === 'ses' ? String(typeof record.from === 'string' ? record.from : record.from.address) : `bounces+${record.id}@bounce.example.test`),
    };
  });

  it('sends through SES when the From domain is verified: composes once, every recipient in the envelope, then sent', async () => {
    const id = await enqueue();
    const outcome = await sendOutbox(id, deps, NOW);

    expect(outcome).toMatchObject({ kind: 'sent', route: { kind: 'ses', identity: 'example.test' }, providerMessageId: 'provider-1' });
    expect(transport.sends).toHaveLength(1);
    expect(transport.sends[0]!.envelope).toEqual({ returnPath: 'support@example.test', recipients: ['customer@customer.test', 'cc@customer.test', 'audit@example.test'] });
    expect(await outbox.get(id)).toMatchObject({ state: 'sent', raw: { key: `outbound/${id}.eml` }, route: { kind: 'ses' }, attempts: 1 });
    expect(limiter.calls).toEqual([]);
  });

  it('sends through the SMTP integration owning the sender, with a VERP return path, after taking a rate-limit slot', async () => {
    const id = await enqueue({ from: { address: 'Sales@other.test' } });
    expect(await sendOutbox(id, deps, NOW)).toMatchObject({ kind: 'sent', route: { kind: 'smtp', serverId: 'srv-1' } });
    expect(transport.sends[0]!.envelope.returnPath).toBe(`bounces+${id}@bounce.example.test`);
    expect(limiter.calls).toEqual([{ serverId: 'srv-1', messagesPerMinute: 30 }]);
  });

  it('refuses a suppressed recipient before sending, naming it', async () => {
    await suppressions.add({ address: 'cc@customer.test', reason: 'bounce', detail: '550 5.1.1 unknown user', at: NOW.toISOString() });
    const id = await enqueue();
    expect(await sendOutbox(id, deps, NOW)).toMatchObject({ kind: 'failed', failure: { reason: 'recipient-suppressed', detail: expect.stringContaining('cc@customer.test') } });
    expect(transport.sends).toEqual([]);
    expect((await outbox.get(id))?.state).toBe('failed');
  });

  it('fails with no-route-for-sender when neither SES nor an integration sends as the From address', async () => {
    const id = await enqueue({ from: { address: 'who@nowhere.test' } });
    expect(await sendOutbox(id, deps, NOW)).toMatchObject({ kind: 'failed', failure: { reason: 'no-route-for-sender' } });
    expect(transport.sends).toEqual([]);
  });

  it('holds the record when its integration is in error, and sends nothing', async () => {
    integrations.integrations = [{ ...SMTP, state: 'error', lastError: { reason: 'auth-failed', detail: '535', at: NOW.toISOString() } }];
    const id = await enqueue({ from: { address: 'sales@other.test' } });
    expect(await sendOutbox(id, deps, NOW)).toEqual({ kind: 'held', serverId: 'srv-1' });
    expect(await outbox.get(id)).toMatchObject({ state: 'pending', heldBy: 'srv-1', failure: { reason: 'auth-failed' } });
    expect(await sendOutbox(id, deps, later(1))).toEqual({ kind: 'nothing', state: 'pending' });
    expect(transport.sends).toEqual([]);
  });

  it('releases the record when the rate limit says wait, without composing or sending', async () => {
    limiter.wait = 1_500;
    const id = await enqueue({ from: { address: 'sales@other.test' } });
    expect(await sendOutbox(id, deps, NOW)).toEqual({ kind: 'rate-limited', waitMs: 1_500 });
    expect(await outbox.get(id)).toMatchObject({ state: 'pending', failure: { reason: 'rate-limited' } });
    expect([composer.composed, transport.sends.length]).toEqual([0, 0]);
  });

  it('releases on a transient failure and sends the same composed bytes on the retry', async () => {
    transport.fail = (call) => (call === 1 ? new TransientError('smtp-temporary', '421 try later') : undefined);
    const id = await enqueue();
    expect(await sendOutbox(id, deps, NOW)).toMatchObject({ kind: 'retry', failure: { reason: 'smtp-temporary' } });
    expect((await outbox.get(id))?.state).toBe('pending');
    expect(await sendOutbox(id, deps, later(30_000))).toMatchObject({ kind: 'sent' });
    expect(composer.composed).toBe(1);
    expect(await outbox.get(id)).toMatchObject({ state: 'sent', attempts: 2 });
  });

  it('fails permanently with the transport reason and the chosen route', async () => {
    transport.fail = () => new PermanentError('recipient-rejected', '550 no such user');
    const id = await enqueue();
    expect(await sendOutbox(id, deps, NOW)).toMatchObject({ kind: 'failed', failure: { reason: 'recipient-rejected' } });
    expect(await outbox.get(id)).toMatchObject({ state: 'failed', route: { kind: 'ses' } });
  });

  it('fails with message-too-large when the composer refuses', async () => {
    composer.fail = new PermanentError('message-too-large', 'over 40 MB');
    const id = await enqueue();
    expect(await sendOutbox(id, deps, NOW)).toMatchObject({ kind: 'failed', failure: { reason: 'message-too-large' } });
  });

  it('sets the integration to error and holds the record on an integration fault', async () => {
    transport.fail = () => new IntegrationFault('srv-1', 'smtp-auth-failed', '535 authentication failed');
    const id = await enqueue({ from: { address: 'sales@other.test' } });
    expect(await sendOutbox(id, deps, NOW)).toEqual({ kind: 'held', serverId: 'srv-1' });
    expect((await integrations.list())[0]).toMatchObject({ state: 'error', lastError: { reason: 'smtp-auth-failed' } });
    expect(await outbox.listHeld('srv-1')).toEqual([id]);
  });

  it('releases and rethrows a deployment error, so the queue retries and the DLQ keeps it', async () => {
    transport.fail = () => new DeploymentError('ses-denied', 'AccessDenied');
    const id = await enqueue();
    await expect(sendOutbox(id, deps, NOW)).rejects.toBeInstanceOf(DeploymentError);
    expect((await outbox.get(id))?.state).toBe('pending');
  });

  it('releases and rethrows a permanent error of a lookup: a refused read says nothing about the message', async () => {
    suppressions.find = async () => {
      throw new PermanentError('storage-rejected', 'ValidationException');
    };
    const id = await enqueue();
    await expect(sendOutbox(id, deps, NOW)).rejects.toThrow('ValidationException');
    expect(await outbox.get(id)).toMatchObject({ state: 'pending', failure: { reason: 'storage-rejected' } });
  });

  it('leaves the lease on an unknown transport error (it may have been accepted); the next attempt marks it uncertain', async () => {
    transport.fail = () => new Error('socket closed after DATA');
    const id = await enqueue();
    await expect(sendOutbox(id, { ...deps, leaseMs: 1_000 }, NOW)).rejects.toThrow('socket closed');
    expect(await sendOutbox(id, deps, later(500))).toEqual({ kind: 'busy', waitMs: 500 });
    expect(await sendOutbox(id, deps, later(1_001))).toEqual({ kind: 'uncertain' });
    expect((await outbox.get(id))?.state).toBe('uncertain');
  });

  it('sends nothing for a redelivery of a sent record or an unknown id', async () => {
    const id = await enqueue();
    await sendOutbox(id, deps, NOW);
    expect(await sendOutbox(id, deps, later(1))).toEqual({ kind: 'nothing', state: 'sent' });
    expect(await sendOutbox('o-unknown', deps, NOW)).toEqual({ kind: 'nothing' });
    expect(transport.sends).toHaveLength(1);
  });
});
