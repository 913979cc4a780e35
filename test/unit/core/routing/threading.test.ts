import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../lambdas/core/errors.ts';
import { buildOutgoingMessageId, referenceTokenFor } from '../../../../lambdas/core/routing/reference-token.ts';
import type { MessageIdMatch, TokenMatch } from '../../../../lambdas/core/routing/thread-ports.ts';
import {
  MAX_THREAD_LOOKUP_IDS,
  contentHash,
  decideThread,
  duplicateDecision,
  normalizeMessageId,
  threadKeys,
  threadWindowMs,
  type ContentFacts,
  type ThreadFacts,
} from '../../../../lambdas/core/routing/threading.ts';

const now = new Date('2026-11-23T09:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
const customer = { address: 'Alice@Customer.test', name: 'Alice' };
const token = referenceTokenFor('i-first');
const ourId = buildOutgoingMessageId(token, 'abc123', 'mail.example.test');

function reply(overrides: Partial<ThreadFacts> = {}): ThreadFacts {
  return { messageId: '<reply-1@customer.test>', references: [], subject: 'Re: Order missing', from: customer, ...overrides };
}
const sent = (messageId: string, interactionId: string, at: string, direction: 'in' | 'out' = 'out'): MessageIdMatch => ({
  messageId: normalizeMessageId(messageId)!,
  interactionId,
  direction,
  at,
});

describe('threadWindowMs', () => {
  it('defaults to 30 days and accepts 1 to 30 whole days', () => {
    expect(threadWindowMs()).toBe(30 * 86_400_000);
    expect(threadWindowMs(1)).toBe(86_400_000);
  });

  it.each([0, 31, 1.5, Number.NaN])('rejects %s days with a ValidationError naming the field', (days) => {
    const error = (() => { try { threadWindowMs(days); } catch (e) { return e; } })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields).toEqual({ threadWindowDays: 'must be a whole number of days from 1 to 30' });
    expect((error as ValidationError).code).toBe('validation');
  });
});

describe('normalizeMessageId', () => {
  it('strips brackets and space and lower-cases', () => {
    expect(normalizeMessageId('  <ABC.def@Example.TEST> ')).toBe('abc.def@example.test');
  });
  it.each(['', '<>', '<a b@c>', `<${'x'.repeat(1_000)}@c>`])('rejects %j', (raw) => {
    expect(normalizeMessageId(raw)).toBeUndefined();
  });
});

describe('threadKeys', () => {
  it('looks up In-Reply-To first, then References newest first, without the own id or repeats', () => {
    const keys = threadKeys(reply({ inReplyTo: '<C@x>', references: ['<A@x>', '<B@x>', '<C@x>', '<reply-1@customer.test>'] }));
    expect(keys.messageIds).toEqual(['c@x', 'b@x', 'a@x']);
  });

  it('bounds a long References list to the newest ids', () => {
    const references = Array.from({ length: 200 }, (_, n) => `<r${n}@x>`);
    const keys = threadKeys(reply({ references }));
    expect(keys.messageIds).toHaveLength(MAX_THREAD_LOOKUP_IDS);
    expect(keys.messageIds[0]).toBe('r199@x');
  });

  it('collects tokens from the subject and from our Message-IDs', () => {
    const other = referenceTokenFor('i-other');
    const keys = threadKeys(reply({ subject: `AW: [${other}]`, inReplyTo: ourId }));
    expect(keys.tokens).toEqual([other, token]);
  });
});

describe('decideThread', () => {
  it('joins by In-Reply-To to a message we sent', () => {
    const decision = decideThread(reply({ inReplyTo: ourId }), { messageIds: [sent(ourId, 'i-first', daysAgo(2))], tokens: [] }, { now });
    expect(decision).toMatchObject({ join: 'i-first', by: 'in-reply-to' });
    expect(decision.explanation).toMatch(/^In-Reply-To <pr\.[0-9a-z]{8}\.abc123@mail\.example\.test> \(sent by us .*\) belongs to i-first$/);
  });

  it('joins by References to a message we received when In-Reply-To is unknown', () => {
    const facts = reply({ inReplyTo: '<unknown@x>', references: ['<first@customer.test>', '<unknown@x>'] });
    const decision = decideThread(facts, { messageIds: [sent('<first@customer.test>', 'i-first', daysAgo(1), 'in')], tokens: [] }, { now });
    expect(decision).toMatchObject({ join: 'i-first', by: 'references' });
  });

  it('prefers In-Reply-To over References and tokens', () => {
    const facts = reply({ inReplyTo: '<b@x>', references: ['<a@x>'], subject: `Re: [${token}]` });
    const lookups = {
      messageIds: [sent('<a@x>', 'i-a', daysAgo(1)), sent('<b@x>', 'i-b', daysAgo(1))],
      tokens: [{ token, interactionId: 'i-first', lastAt: daysAgo(1) }],
    };
    expect(decideThread(facts, lookups, { now })).toMatchObject({ join: 'i-b', by: 'in-reply-to' });
  });

  it('joins by the token in the subject when the headers were dropped', () => {
    const match: TokenMatch = { token, interactionId: 'i-first', lastAt: daysAgo(3), customer: 'alice@customer.test' };
    const decision = decideThread(reply({ subject: `RE: Fwd: Order missing [${token.toLowerCase()}]` }), { messageIds: [], tokens: [match] }, { now });
    expect(decision).toMatchObject({ join: 'i-first', by: 'token' });
  });

  it('ignores a Message-ID match older than the window, and says so', () => {
    const decision = decideThread(reply({ inReplyTo: ourId }), { messageIds: [sent(ourId, 'i-first', daysAgo(31))], tokens: [] }, { now });
    expect(decision).toMatchObject({ new: true });
    expect(decision.explanation).toMatch(/older than the 30-day window/);
  });

  it('honours a shorter configured window', () => {
    const lookups = { messageIds: [sent(ourId, 'i-first', daysAgo(8))], tokens: [] };
    expect(decideThread(reply({ inReplyTo: ourId }), lookups, { now, windowDays: 30 })).toMatchObject({ join: 'i-first' });
    expect(decideThread(reply({ inReplyTo: ourId }), lookups, { now, windowDays: 7 })).toMatchObject({ new: true });
  });

  it('ignores a token outside the window, an unknown token and a token used by a stranger', () => {
    const stranger = { address: 'mallory@evil.test' };
    const stale = decideThread(reply({ subject: `[${token}]` }), { messageIds: [], tokens: [{ token, interactionId: 'i-first', lastAt: daysAgo(40) }] }, { now });
    const unknown = decideThread(reply({ subject: `[${token}]` }), { messageIds: [], tokens: [] }, { now });
    const forged = decideThread(reply({ subject: `[${token}]`, from: stranger }), {
      messageIds: [],
      tokens: [{ token, interactionId: 'i-first', lastAt: daysAgo(1), customer: 'alice@customer.test' }],
    }, { now });
    expect([stale, unknown, forged].map((d) => 'new' in d)).toEqual([true, true, true]);
    expect(stale.explanation).toMatch(/outside the 30-day window/);
    expect(unknown.explanation).toMatch(/belongs to no known interaction/);
    expect(forged.explanation).toMatch(/used by mallory@evil.test, not by its customer/);
  });

  it('opens a new interaction for a first message, explaining there was nothing to thread on', () => {
    const decision = decideThread(reply({ subject: 'Order missing' }), { messageIds: [], tokens: [] }, { now });
    expect(decision).toEqual({ new: true, explanation: 'new interaction: no In-Reply-To, References or reference token' });
  });

  it('rejects an invalid window', () => {
    expect(() => decideThread(reply(), { messageIds: [], tokens: [] }, { now, windowDays: 60 })).toThrow(ValidationError);
  });
});

describe('contentHash', () => {
  const mail: ContentFacts = {
    from: { address: 'Alice@Customer.test' },
    date: '2026-11-23T08:59:00.000Z',
    subject: 'Order  missing',
    text: 'Hello,\r\nmy order has not arrived.  \r\n',
    attachments: [{ size: 10, checksum: 'aa' }, { size: 20, checksum: 'bb' }],
  };

  it('is the same for two deliveries of one mail (line endings, address case, attachment order)', () => {
    const other: ContentFacts = { ...mail, from: { address: 'alice@customer.test', name: 'A' }, subject: 'Order missing', text: 'Hello,\nmy order has not arrived.\n', attachments: [...mail.attachments].reverse() };
    expect(contentHash(other)).toBe(contentHash(mail));
    expect(contentHash(mail)).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['sender', { from: { address: 'bob@customer.test' } }],
    ['date', { date: '2026-11-23T09:00:00.000Z' }],
    ['subject', { subject: 'Order found' }],
    ['body', { text: 'Hello, it arrived.' }],
    ['attachments', { attachments: [{ size: 10, checksum: 'cc' }] }],
  ])('differs when the %s differs', (_what, change) => {
    expect(contentHash({ ...mail, ...change })).not.toBe(contentHash(mail));
  });

  it('hashes the HTML body when there is no text body', () => {
    const html = { ...mail, text: '' };
    expect(contentHash({ ...html, html: '<p>a</p>' })).not.toBe(contentHash({ ...html, html: '<p>b</p>' }));
  });
});

describe('duplicateDecision', () => {
  it('explains each claim outcome', () => {
    expect(duplicateDecision('new', 'a@x')).toEqual({ explanation: 'Message-ID <a@x> seen for the first time' });
    expect(duplicateDecision({ existing: 'i-1' }, 'a@x')).toMatchObject({ duplicateOf: 'i-1', explanation: expect.stringMatching(/probable duplicate/) });
    expect(duplicateDecision({ ours: 'i-1' }, 'a@x')).toMatchObject({ duplicateOf: 'i-1', explanation: expect.stringMatching(/one we sent/) });
    const differs = duplicateDecision({ differs: 'i-1' }, 'a@x');
    expect(differs.duplicateOf).toBeUndefined();
    expect(differs.explanation).toMatch(/not a duplicate.*different content/);
  });
});
