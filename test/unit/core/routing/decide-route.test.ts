/**
 * The routing decision in core: each rule of the Routing issue as one observable decision, with
 * the trail that explains it.
 */
import { describe, expect, it } from 'vitest';
import { compileFlow } from '../../../../lambdas/core/routing/flow-eval.ts';
import type { FlowDefinition } from '../../../../lambdas/core/routing/flow.ts';
import type { EmailAddressRoute } from '../../../../lambdas/core/routing/model.ts';
import { decideRoute, type RouteContext } from '../../../../lambdas/core/routing/decide-route.ts';
import { T0, addressRoute, inboundMessage } from '../../../support/factories.ts';

const now = T0;

const message = inboundMessage;

const route = (over: Partial<EmailAddressRoute> = {}): EmailAddressRoute =>
  addressRoute('help@support.example.com', { routing: { kind: 'queue', queueId: 'billing', skills: ['invoices'], language: 'en', priority: 10 }, ...over });

function ctx(over: Partial<RouteContext> = {}): RouteContext {
  return {
    now,
    domains: ['support.example.com'],
    defaults: { queueId: 'default', priority: 0 },
    duplicate: { explanation: 'Message-ID seen for the first time' },
    thread: { new: true, explanation: 'new interaction: no In-Reply-To, References or reference token' },
    flows: new Map(),
    reference: 'PR-ABCDEFGH',
    ...over,
  };
}

const flow = (definition: FlowDefinition) => new Map([['triage', compileFlow('triage', 3, definition)]]);

describe('decideRoute', () => {
  it('puts mail for an address into its queue with the ACD skills, language and priority, and says why', () => {
    const d = decideRoute(message(), ctx({ addressRoute: route() }));

    expect(d).toMatchObject({ kind: 'queue', target: { queueId: 'billing', skills: ['invoices'], language: 'en', priority: 10 } });
    expect(d.trail.map((t) => t.step)).toEqual(['received', 'thread', 'address', 'queued']);
    expect(d.trail.at(-1)?.detail).toBe('queue billing with priority 10, requiring skills invoices and language en');
  });

  it('uses the default queue for an address without a route, and for an outbound-only address', () => {
    expect(decideRoute(message(), ctx())).toMatchObject({ kind: 'queue', target: { queueId: 'default', priority: 0 } });
    const outboundOnly = decideRoute(message(), ctx({ addressRoute: route({ routing: { kind: 'none' } }) }));
    expect(outboundOnly).toMatchObject({ kind: 'queue', target: { queueId: 'default' } });
    expect(outboundOnly.trail.some((t) => t.detail.includes('outbound only'))).toBe(true);
  });

  it('lets an address flow set queue, skills, language and priority, naming the rule in the trail', () => {
    const flows = flow({
      name: 'Triage',
      rules: [
        { name: 'refunds', when: [{ field: 'subject', op: 'contains', value: 'invoice' }], then: [{ type: 'setQueue', queueId: 'billing' }, { type: 'setSkills', skills: ['refunds'] }, { type: 'setPriority', priority: 30 }], stop: true },
        { when: [], then: [{ type: 'setQueue', queueId: 'general' }] },
      ],
    });

    const d = decideRoute(message(), ctx({ addressRoute: route({ routing: { kind: 'flow', flowId: 'triage' } }), flows }));

    expect(d).toMatchObject({ kind: 'queue', target: { queueId: 'billing', skills: ['refunds'], priority: 30 } });
    expect(d.trail.filter((t) => t.step === 'flow').map((t) => t.detail)).toEqual([
      expect.stringMatching(/^flow triage v3 rule 1 "refunds": .*setQueue.*setSkills.*setPriority/),
    ]);
  });

  it('sets no hard language from an undetermined detection, and the trail says why', () => {
    // Prepare: a flow that routes by language, including a negated condition
    const flows = flow({
      name: 'By language',
      rules: [
        { name: 'german', when: [{ field: 'language', op: 'equals', value: 'de' }], then: [{ type: 'setLanguage', language: 'de' }], stop: true },
        { name: 'not english', when: [{ field: 'language', op: 'equals', value: 'en', not: true }], then: [{ type: 'setLanguage', language: 'de' }], stop: true },
      ],
    });
    const why = 'language undetermined: de leads nl by 0.033, detection needs 0.100';

    // Act
    const d = decideRoute(
      message({ text: 'Please refund my last order, it was broken.' }),
      ctx({ addressRoute: route({ routing: { kind: 'flow', flowId: 'triage' } }), flows, languageExplanation: why }),
    );

    // Assess
    expect(d.kind).toBe('queue');
    expect(d.kind === 'queue' && d.target.language).toBeUndefined();
    expect(d.trail.find((t) => t.step === 'language')?.detail).toBe(why);
  });

  it('disconnects mail whose virus verdict is FAIL, even a reply to an open conversation', () => {
    const d = decideRoute(
      message({ verdicts: { spam: 'PASS', virus: 'FAIL', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' } }),
      ctx({ thread: { join: 'i-open', by: 'in-reply-to', explanation: 'In-Reply-To matches' } }),
    );

    expect(d).toMatchObject({ kind: 'disconnected', reason: 'virus' });
  });

  it('sends spam to the address spam flow, or disconnects it when so configured', () => {
    const spam = message({ headers: { 'x-spam-flag': 'YES' } });
    const flows = flow({ name: 'Spam review', rules: [{ when: [], then: [{ type: 'setQueue', queueId: 'spam-review' }, { type: 'tag', tags: ['spam'] }] }] });

    const toFlow = decideRoute(spam, ctx({ addressRoute: route({ spamRouting: { kind: 'flow', flowId: 'triage' } }), flows }));
    const dropped = decideRoute(spam, ctx({ addressRoute: route({ spamRouting: { kind: 'disconnect' } }) }));
    const unrouted = decideRoute(spam, ctx({ addressRoute: route() }));

    expect(toFlow).toMatchObject({ kind: 'queue', target: { queueId: 'spam-review' }, tags: ['spam'] });
    expect(dropped).toMatchObject({ kind: 'disconnected', reason: 'spam' });
    expect(unrouted).toMatchObject({ kind: 'queue', target: { queueId: 'billing' }, tags: ['suspected-spam'] });
  });

  it('attaches a reply to its interaction and a probable duplicate to the first copy', () => {
    const reply = decideRoute(message(), ctx({ thread: { join: 'i-first', by: 'token', explanation: 'reference token PR-X belongs to i-first' } }));
    const copy = decideRoute(message(), ctx({ duplicate: { duplicateOf: 'i-first', explanation: 'probable duplicate' } }));

    expect(reply).toMatchObject({ kind: 'attach', interactionId: 'i-first' });
    expect(reply.trail.at(-1)?.detail).toContain('(by token)');
    expect(copy).toMatchObject({ kind: 'attach', interactionId: 'i-first' });
  });

  it('sets aside an auto-reply, a bounce and list mail that match no interaction', () => {
    const auto = decideRoute(message({ headers: { 'auto-submitted': 'auto-replied' } }), ctx());
    const bounce = decideRoute(message({ mailFrom: '', headers: { 'content-type': 'multipart/report; report-type=delivery-status' } }), ctx());
    const list = decideRoute(message({ headers: { 'list-id': '<news.example.org>' } }), ctx());

    expect(auto).toMatchObject({ kind: 'set-aside', reason: 'auto-reply' });
    expect(bounce).toMatchObject({ kind: 'set-aside', reason: 'bounce' });
    expect(list).toMatchObject({ kind: 'set-aside', reason: 'list' });
  });

  it('lets an auto-reply to an open conversation attach to it instead of opening a new one', () => {
    const d = decideRoute(
      message({ headers: { 'auto-submitted': 'auto-replied' } }),
      ctx({ thread: { join: 'i-open', by: 'in-reply-to', explanation: 'In-Reply-To matches' } }),
    );

    expect(d).toMatchObject({ kind: 'attach', interactionId: 'i-open' });
  });

  it('renders a requested auto-acknowledgement header-safe, and never for automatic mail', () => {
    const flows = flow({
      name: 'Ack',
      rules: [{ when: [], then: [{ type: 'autoAcknowledge', subject: 'Re: {{subject}} [{{reference}}]', body: 'Hello {{from.name}}' }] }],
    });
    const routeWithFlow = route({ routing: { kind: 'flow', flowId: 'triage' } });

    const d = decideRoute(message({ subject: 'Help\r\nBcc: victim@example.org' }), ctx({ addressRoute: routeWithFlow, flows }));
    const robot = decideRoute(message({ mailFrom: 'noreply@shop.example', from: { address: 'noreply@shop.example' } }), ctx({ addressRoute: routeWithFlow, flows }));

    expect(d.kind === 'queue' && d.autoAck).toMatchObject({
      to: 'ada@customer.example',
      from: 'help@support.example.com',
      subject: 'Re: Help Bcc: victim@example.org [PR-ABCDEFGH]',
      body: 'Hello Ada',
    });
    expect(robot).toMatchObject({ kind: 'queue' });
    expect(robot.kind === 'queue' ? robot.autoAck : 'not queued').toBeUndefined();
    expect(robot.trail.find((t) => t.step === 'auto-ack')?.detail).toMatch(/not sent: .*no-reply/);
  });

  it('renders the stored template a flow names, and falls back to the built-in one, saying so, when it is missing', () => {
    const flows = flow({ name: 'Ack', rules: [{ when: [], then: [{ type: 'autoAcknowledge', templateId: 'ack-en' }] }] });
    const routeWithFlow = route({ routing: { kind: 'flow', flowId: 'triage' } });
    const templates = new Map([['ack-en', { subject: 'Thanks, {{from.name}}: {{subject}} [{{reference}}]', body: 'We have {{subject}}.' }]]);

    const stored = decideRoute(message(), ctx({ addressRoute: routeWithFlow, flows, templates }));
    const missing = decideRoute(message(), ctx({ addressRoute: routeWithFlow, flows, templates: new Map() }));

    expect(stored.kind === 'queue' && stored.autoAck).toMatchObject({
      subject: 'Thanks, Ada: Invoice 4711 is wrong [PR-ABCDEFGH]',
      body: 'We have Invoice 4711 is wrong.',
    });
    expect(stored.trail.find((t) => t.step === 'auto-ack')?.detail).toMatch(/^requested to ada@customer\.example \(template ack-en\)/);
    expect(missing.kind === 'queue' && missing.autoAck).toMatchObject({ subject: 'We received your message: Invoice 4711 is wrong [PR-ABCDEFGH]' });
    expect(missing.trail.find((t) => t.step === 'auto-ack')?.detail).toContain('template ack-en does not exist: the built-in one');
  });

  it('never acknowledges to an address that could inject headers into the reply', () => {
    const flows = flow({ name: 'Ack', rules: [{ when: [], then: [{ type: 'autoAcknowledge', subject: 'Re: {{subject}}', body: 'Hi' }] }] });
    const hostile = message({ replyTo: [{ address: 'ada@customer.example\r\nBcc: victim@example.org' }] });

    const d = decideRoute(hostile, ctx({ addressRoute: route({ routing: { kind: 'flow', flowId: 'triage' } }), flows }));

    expect(d).toMatchObject({ kind: 'queue' });
    expect(d.kind === 'queue' ? d.autoAck : 'not queued').toBeUndefined();
    expect(d.trail.filter((t) => t.step === 'auto-ack').at(-1)?.detail).toMatch(/not a plain mail address/);
  });

  it('disconnects mail a flow disconnects, with the flow reason', () => {
    const flows = flow({ name: 'Block', rules: [{ when: [{ field: 'sender', op: 'contains', value: 'customer.example' }], then: [{ type: 'disconnect', reason: 'blocked sender' }] }] });

    const d = decideRoute(message(), ctx({ addressRoute: route({ routing: { kind: 'flow', flowId: 'triage' } }), flows }));

    expect(d).toMatchObject({ kind: 'disconnected', reason: 'flow', detail: 'blocked sender' });
  });
});
