import { describe, expect, it } from 'vitest';
import { compileFlow, evaluateFlow, flowTrailEntries, type FlowInput } from '../../../../lambdas/core/routing/flow-eval.ts';
import type { FlowCondition, FlowDefinition, FlowRule } from '../../../../lambdas/core/routing/flow.ts';
import { flowErrors } from '../../../../lambdas/core/routing/flow-validation.ts';
import { FLOW_LIMITS } from '../../../../lambdas/core/routing/flow.ts';
import { benchFlow, benchMessage } from '../../../bench/flow-fixtures.ts';

const message = (over: Partial<FlowInput> = {}): FlowInput => ({
  recipients: ['help@support.example.com', 'sales@support.example.com'],
  mailFrom: 'bounces@mailer.customer.test',
  from: { address: 'alice@customer.test', name: 'Alice' },
  subject: 'Where is my Refund?',
  text: 'Hello, I ordered last week.',
  headers: { 'x-priority': '1 (Highest)' },
  verdicts: { spam: 'PASS', virus: 'PASS', spf: 'PASS', dkim: 'GRAY', dmarc: 'FAIL' },
  language: 'en',
  ...over,
});

const flowOf = (...rules: FlowRule[]): FlowDefinition => ({ name: 'test', rules });
const run = (def: FlowDefinition, input = message(), start?: Parameters<typeof evaluateFlow>[2]) => evaluateFlow(compileFlow('f', 1, def), input, start);
/** True when a single rule with `condition` tags the message. */
const matches = (condition: FlowCondition, input = message()) =>
  run(flowOf({ when: [condition], then: [{ type: 'tag', tags: ['hit'] }] }), input).tags.includes('hit');

describe('flow conditions', () => {
  it('equals ignores case and looks at any envelope recipient', () => {
    expect(matches({ field: 'recipient', op: 'equals', value: 'SALES@support.example.com' })).toBe(true);
    expect(matches({ field: 'recipient', op: 'equals', value: 'other@support.example.com' })).toBe(false);
  });

  it('sender matches the From address or the envelope sender', () => {
    expect(matches({ field: 'sender', op: 'equals', value: 'alice@customer.test' })).toBe(true);
    expect(matches({ field: 'sender', op: 'contains', value: '@mailer.customer' })).toBe(true);
    expect(matches({ field: 'sender', op: 'equals', value: 'bob@customer.test' })).toBe(false);
  });

  it('contains, matches and in on subject and body', () => {
    expect(matches({ field: 'subject', op: 'contains', value: 'refund' })).toBe(true);
    expect(matches({ field: 'body', op: 'matches', value: 'ordered\\s+last' })).toBe(true);
    expect(matches({ field: 'body', op: 'matches', value: '^order' })).toBe(false);
    expect(matches({ field: 'subject', op: 'in', values: ['hello', 'where is my refund?'] })).toBe(true);
  });

  it('header conditions by name (any case), exists, and negation', () => {
    expect(matches({ field: 'header', header: 'X-Priority', op: 'matches', value: '^1\\b' })).toBe(true);
    expect(matches({ field: 'header', header: 'auto-submitted', op: 'exists' })).toBe(false);
    expect(matches({ field: 'header', header: 'auto-submitted', op: 'exists', not: true })).toBe(true);
  });

  it('language and verdicts', () => {
    expect(matches({ field: 'language', op: 'in', values: ['de', 'en'] })).toBe(true);
    expect(matches({ field: 'language', op: 'exists' }, message({ language: undefined }))).toBe(false);
    // An undetermined language satisfies no condition on it, negated ones included.
    expect(matches({ field: 'language', op: 'equals', value: 'en', not: true }, message({ language: undefined }))).toBe(false);
    expect(matches({ field: 'language', op: 'exists', not: true }, message({ language: undefined }))).toBe(false);
    expect(matches({ field: 'language', op: 'equals', value: 'en', not: true }, message({ language: 'de' }))).toBe(true);
    expect(matches({ field: 'verdict', verdict: 'dmarc', op: 'equals', value: 'fail' })).toBe(true);
    expect(matches({ field: 'verdict', verdict: 'spam', op: 'in', values: ['FAIL', 'GRAY'] })).toBe(false);
  });

  it('matches patterns on RE2, ignoring case with Unicode folding, in linear time on the reviewed shapes', () => {
    expect(matches({ field: 'subject', op: 'matches', value: 'WHERE\\s+IS' })).toBe(true);
    expect(matches({ field: 'subject', op: 'matches', value: 'RÉSUMÉ|ΣΟΦΙΑ' }, message({ subject: 'my résumé' }))).toBe(true);
    // Each of these froze JavaScript's backtracking engine for seconds on a 28-character subject.
    const subject = `${'a'.repeat(27)}!`;
    for (const value of ['((a+))+$', '(.*a){12}$', 'a*a*a*a*a*a*b']) expect(matches({ field: 'subject', op: 'matches', value }, message({ subject }))).toBe(false);
  });

  it('skips, and explains, a rule of a stored flow whose pattern RE2 refuses, instead of failing the message', () => {
    const flow = compileFlow('old', 2, flowOf(
      { name: 'legacy', when: [{ field: 'subject', op: 'matches', value: '(a)\\1' }], then: [{ type: 'setQueue', queueId: 'x' }] },
      { when: [], then: [{ type: 'tag', tags: ['later'] }] },
    ));
    const d = evaluateFlow(flow, message());
    expect(d.queueId).toBeUndefined();
    expect(d.tags).toEqual(['later']);
    expect(flowTrailEntries(flow, d, new Date(0))[0]?.detail).toMatch(/^flow old v2 rule 1 "legacy": skipped pattern refused by the linear-time engine/);
  });

  it('matches only the first maxMatchInputChars of an input', () => {
    const text = `${'x'.repeat(FLOW_LIMITS.maxMatchInputChars)}needle`;
    expect(matches({ field: 'body', op: 'contains', value: 'needle' }, message({ text }))).toBe(false);
    expect(matches({ field: 'body', op: 'contains', value: 'needle' }, message({ text: text.slice(10) }))).toBe(true);
  });

  it('requires all conditions of a rule; an empty `when` always matches', () => {
    const both = flowOf({ when: [{ field: 'subject', op: 'contains', value: 'refund' }, { field: 'language', op: 'equals', value: 'de' }], then: [{ type: 'tag', tags: ['both'] }] }, { when: [], then: [{ type: 'tag', tags: ['always'] }] });
    expect(run(both).tags).toEqual(['always']);
  });
});

describe('flow actions, order and stop', () => {
  it('applies queue, skills, language and priority in rule order, from the start values', () => {
    const def = flowOf(
      { name: 'refunds', when: [{ field: 'subject', op: 'contains', value: 'refund' }], then: [{ type: 'setQueue', queueId: 'billing' }, { type: 'setSkills', skills: ['billing'] }, { type: 'adjustPriority', delta: 10 }] },
      { name: 'english', when: [{ field: 'language', op: 'equals', value: 'en' }], then: [{ type: 'addSkills', skills: ['english', 'billing'] }, { type: 'setLanguage', language: 'en' }] },
      { when: [], then: [{ type: 'adjustPriority', delta: -3 }] },
    );
    const d = run(def, message(), { queueId: 'default', skills: ['general'], priority: 5 });
    expect(d).toMatchObject({ queueId: 'billing', skills: ['billing', 'english'], language: 'en', priority: 12, matched: [0, 1, 2] });
  });

  it('setPriority is absolute and priorities are clamped to the score bounds', () => {
    const d = run(flowOf({ when: [], then: [{ type: 'setPriority', priority: 999_999 }, { type: 'adjustPriority', delta: 10 }] }));
    expect(d.priority).toBe(1_000_000);
  });

  it('stop ends the flow after the rule; later rules do not run', () => {
    const def = flowOf(
      { when: [{ field: 'subject', op: 'contains', value: 'refund' }], then: [{ type: 'setQueue', queueId: 'billing' }], stop: true },
      { when: [], then: [{ type: 'setQueue', queueId: 'default' }] },
    );
    expect(run(def)).toMatchObject({ queueId: 'billing', matched: [0] });
  });

  it('disconnect ends the flow at once with its reason', () => {
    const def = flowOf(
      { when: [{ field: 'verdict', verdict: 'dmarc', op: 'equals', value: 'FAIL' }], then: [{ type: 'disconnect', reason: 'spoofed sender' }, { type: 'tag', tags: ['never'] }] },
      { when: [], then: [{ type: 'setQueue', queueId: 'default' }] },
    );
    const d = run(def);
    expect(d.disconnect).toEqual({ reason: 'spoofed sender' });
    expect(d.tags).toEqual([]);
    expect(d.queueId).toBeUndefined();
  });

  it('auto-acknowledge: the first request wins; tags accumulate without repeats', () => {
    const def = flowOf(
      { when: [], then: [{ type: 'autoAcknowledge', templateId: 'ack-en' }, { type: 'tag', tags: ['a', 'b'] }] },
      { when: [], then: [{ type: 'autoAcknowledge', subject: 'x', body: 'y' }, { type: 'tag', tags: ['b', 'c'] }] },
    );
    const d = run(def);
    expect(d.autoAcknowledge).toEqual({ templateId: 'ack-en' });
    expect(d.tags).toEqual(['a', 'b', 'c']);
    expect(d.trail.filter((s) => s.action === 'autoAcknowledge').map((s) => s.detail)).toEqual(['template ack-en', 'skipped: an acknowledgement is already requested']);
  });

  it('explains itself: which rule matched and what each action did, as interaction trail entries', () => {
    const def = flowOf(
      { name: 'nope', when: [{ field: 'language', op: 'equals', value: 'fr' }], then: [{ type: 'setQueue', queueId: 'fr' }] },
      { name: 'refunds', when: [{ field: 'subject', op: 'contains', value: 'refund' }], then: [{ type: 'setQueue', queueId: 'billing' }, { type: 'adjustPriority', delta: 10 }] },
    );
    const flow = compileFlow('triage', 3, def);
    const d = evaluateFlow(flow, message(), { skills: [], priority: 5 });
    const at = new Date('2026-11-23T09:00:00Z');
    expect(flowTrailEntries(flow, d, at).map((e) => e.detail)).toEqual([
      'flow triage v3 rule 2 "refunds": all 1 condition(s) matched; setQueue queue billing; adjustPriority priority 5 + 10 = 15',
    ]);
    expect(flowTrailEntries(flow, evaluateFlow(flow, message({ subject: 'hi' })), at)).toEqual([{ at: at.toISOString(), step: 'flow', detail: 'flow triage v3: no rule matched' }]);
  });
});

describe('the bench flow', () => {
  it('is valid and routes its message through the expected rules', () => {
    const def = benchFlow();
    expect(def.rules).toHaveLength(20);
    expect(flowErrors(def, { queues: new Set(['billing', 'accounts', 'logistics', 'retention', 'escalations', 'sales']) })).toEqual({});
    const d = evaluateFlow(compileFlow('bench', 1, def), benchMessage(), { queueId: 'default', skills: [], priority: 0 });
    expect(d).toMatchObject({ queueId: 'billing', language: 'de', skills: ['german', 'billing'], priority: 30, tags: ['refund'] });
    expect(d.autoAcknowledge?.subject).toBe('Re: {{subject}} [{{reference}}]');
  });
});
