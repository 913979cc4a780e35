/**
 * Flows and messages for the routing bench and the evaluator tests: a realistic 20-rule flow of
 * the kind a contact center writes (VIP senders, languages, keywords, headers, verdicts), and a
 * message it routes.
 */
import type { FlowInput } from '../../lambdas/core/routing/flow-eval.ts';
import type { FlowDefinition, FlowRule } from '../../lambdas/core/routing/flow.ts';

const KEYWORD_QUEUES: readonly [string, string][] = [
  ['refund', 'billing'],
  ['invoice', 'billing'],
  ['password', 'accounts'],
  ['login', 'accounts'],
  ['delivery', 'logistics'],
  ['tracking', 'logistics'],
  ['cancel', 'retention'],
  ['complaint', 'escalations'],
];

/**
 * A 20-rule flow: guards first (virus, failed DMARC, auto-replies), then VIP senders, languages,
 * eight keyword rules with patterns, a header rule, and a catch-all acknowledgement. Every
 * operator and most actions appear, so a bench of it measures the evaluator's real mix.
 */
export function benchFlow(): FlowDefinition {
  const keywordRules: FlowRule[] = KEYWORD_QUEUES.map(([word, queue]) => ({
    name: `keyword ${word}`,
    when: [{ field: 'subject', op: 'matches', value: `\\b${word}s?\\b` }],
    then: [{ type: 'setQueue', queueId: queue }, { type: 'addSkills', skills: [queue] }, { type: 'tag', tags: [word] }],
  }));
  return {
    name: 'Support triage (bench)',
    rules: [
      { name: 'virus', when: [{ field: 'verdict', verdict: 'virus', op: 'equals', value: 'FAIL' }], then: [{ type: 'disconnect', reason: 'virus' }] },
      { name: 'dmarc fail', when: [{ field: 'verdict', verdict: 'dmarc', op: 'equals', value: 'FAIL' }], then: [{ type: 'tag', tags: ['dmarc-fail'] }, { type: 'adjustPriority', delta: -5 }] },
      { name: 'auto-reply', when: [{ field: 'header', header: 'auto-submitted', op: 'exists' }, { field: 'header', header: 'auto-submitted', op: 'equals', value: 'no', not: true }], then: [{ type: 'tag', tags: ['auto-reply'] }], stop: true },
      { name: 'vip', when: [{ field: 'sender', op: 'in', values: ['ceo@bigcustomer.test', 'cto@bigcustomer.test', 'buyer@bigcustomer.test'] }], then: [{ type: 'setPriority', priority: 50 }, { type: 'tag', tags: ['vip'] }] },
      { name: 'vip domain', when: [{ field: 'sender', op: 'matches', value: '@(bigcustomer|partner)\\.test$' }], then: [{ type: 'adjustPriority', delta: 10 }] },
      { name: 'german', when: [{ field: 'language', op: 'equals', value: 'de' }], then: [{ type: 'setLanguage', language: 'de' }, { type: 'addSkills', skills: ['german'] }] },
      { name: 'japanese', when: [{ field: 'language', op: 'equals', value: 'ja' }], then: [{ type: 'setLanguage', language: 'ja' }, { type: 'addSkills', skills: ['japanese'] }] },
      { name: 'sales address', when: [{ field: 'recipient', op: 'equals', value: 'sales@support.example.com' }], then: [{ type: 'setQueue', queueId: 'sales' }] },
      ...keywordRules,
      { name: 'urgent', when: [{ field: 'subject', op: 'contains', value: 'urgent' }], then: [{ type: 'adjustPriority', delta: 20 }] },
      { name: 'legal', when: [{ field: 'body', op: 'matches', value: '\\b(lawyer|attorney|court)\\b' }], then: [{ type: 'setQueue', queueId: 'escalations' }, { type: 'setSkills', skills: ['legal'] }], stop: true },
      { name: 'ticketing header', when: [{ field: 'header', header: 'x-ticket-id', op: 'exists' }], then: [{ type: 'tag', tags: ['ticketed'] }] },
      {
        name: 'acknowledge',
        when: [],
        then: [{ type: 'autoAcknowledge', subject: 'Re: {{subject}} [{{reference}}]', body: 'Dear {{from.name}},\n\nwe received your message and will answer soon.\n' }],
      },
    ],
  };
}

/** A message the bench flow routes through most rules: German, urgent, a refund, from a VIP domain. */
export function benchMessage(overrides: Partial<FlowInput> = {}): FlowInput {
  return {
    recipients: ['help@support.example.com'],
    mailFrom: 'bounce@mail.partner.test',
    from: { address: 'anna@partner.test', name: 'Anna Muster' },
    subject: 'URGENT: Refund for order 4711',
    text: 'Guten Tag, ich warte seit drei Wochen auf meine Rückerstattung. '.repeat(40),
    headers: { 'message-id': '<a@partner.test>', 'x-mailer': 'Thunderbird' },
    verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'PASS', dmarc: 'PASS' },
    language: 'de',
    ...overrides,
  };
}
