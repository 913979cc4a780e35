import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../lambdas/core/errors.ts';
import { FLOW_LIMITS, FLOW_MAX_DEFINITION_BYTES, type FlowAction, type FlowCondition, type FlowDefinition, type FlowRule } from '../../../../lambdas/core/routing/flow.ts';
import { patternError } from '../../../../lambdas/core/routing/flow-pattern.ts';
import { assertValidFlow, flowDefinitionBytes, flowErrors } from '../../../../lambdas/core/routing/flow-validation.ts';

const ctx = { queues: new Set(['default', 'billing']) };
const flowOf = (...rules: FlowRule[]): FlowDefinition => ({ name: 'triage', rules });
const tag: FlowAction = { type: 'tag', tags: ['x'] };
const conditionErrors = (c: FlowCondition) => flowErrors(flowOf({ when: [c], then: [tag] }), ctx);
const actionErrors = (a: FlowAction) => flowErrors(flowOf({ when: [], then: [a] }), ctx);

describe('flow validation', () => {
  it('accepts a flow using every condition field and action', () => {
    const flow = flowOf(
      {
        name: 'everything',
        when: [
          { field: 'recipient', op: 'equals', value: 'help@support.example.com' },
          { field: 'sender', op: 'in', values: ['a@x.test'] },
          { field: 'subject', op: 'contains', value: 'refund' },
          { field: 'body', op: 'matches', value: '\\border\\s+\\d+' },
          { field: 'header', header: 'X-Priority', op: 'exists' },
          { field: 'language', op: 'in', values: ['de', 'EN'] },
          { field: 'verdict', verdict: 'spam', op: 'equals', value: 'gray', not: true },
        ],
        then: [
          { type: 'setQueue', queueId: 'billing' },
          { type: 'setSkills', skills: ['billing'] },
          { type: 'addSkills', skills: ['german'] },
          { type: 'setLanguage', language: 'de' },
          { type: 'setPriority', priority: 10 },
          { type: 'adjustPriority', delta: -5 },
          { type: 'autoAcknowledge', subject: 'Re: {{subject}}', body: 'Hello {{ from.name }}, ref {{reference}}' },
          { type: 'tag', tags: ['refund', 'lang:de'] },
          { type: 'disconnect', reason: 'done' },
        ],
        stop: true,
      },
    );
    expect(flowErrors(flow, ctx)).toEqual({});
    expect(() => assertValidFlow(flow, ctx)).not.toThrow();
  });

  it('keys every condition error by rule and condition index', () => {
    expect(conditionErrors({ field: 'header', op: 'exists' })).toEqual({ 'rules[0].when[0].header': 'must name a header (printable ASCII, no colon or space)' });
    expect(conditionErrors({ field: 'header', header: 'Bad Name:', op: 'exists' })).toEqual({ 'rules[0].when[0].header': 'must name a header (printable ASCII, no colon or space)' });
    expect(conditionErrors({ field: 'verdict', op: 'exists' })).toEqual({ 'rules[0].when[0].verdict': 'must name a verdict: spam, virus, spf, dkim or dmarc' });
    expect(conditionErrors({ field: 'subject', op: 'contains' })).toEqual({ 'rules[0].when[0].value': `must be 1-${FLOW_LIMITS.maxValueChars} characters` });
    expect(conditionErrors({ field: 'subject', op: 'in', values: [] })).toEqual({ 'rules[0].when[0].values': `must list 1-${FLOW_LIMITS.maxValues} values` });
    expect(conditionErrors({ field: 'verdict', verdict: 'spf', op: 'equals', value: 'OK' })['rules[0].when[0].value']).toMatch(/^must be verdict statuses: PASS, FAIL/);
    expect(conditionErrors({ field: 'language', op: 'in', values: ['de', 'german'] })).toEqual({ 'rules[0].when[0].values': 'must be an ISO 639-1 code such as en, de or ja' });
  });

  it('refuses patterns RE2 cannot compile, with its reason, and overlong ones', () => {
    expect(conditionErrors({ field: 'subject', op: 'matches', value: '(unclosed' })['rules[0].when[0].value']).toMatch(/^is not a pattern the linear-time engine \(RE2\) accepts: missing closing \)/);
    expect(patternError('a'.repeat(FLOW_LIMITS.maxPatternChars + 1))).toBe(`must be a regular expression of 1-${FLOW_LIMITS.maxPatternChars} characters`);
    expect(patternError('(a)\\1')).toMatch(/^is not a pattern the linear-time engine \(RE2\) accepts: invalid escape sequence: `\\1`.*back-references and lookaround are not supported/);
    expect(patternError('(?=refund)re')).toMatch(/RE2.*unsupported Perl syntax/);
    expect(patternError('^(re|fwd?):\\s*\\w+')).toBeUndefined();
  });

  it('accepts the catastrophic-backtracking shapes: on RE2 they run in linear time', () => {
    for (const pattern of ['((a+))+$', '(.*a){12}$', 'a*a*a*a*a*a*b', '(a|aa)+b']) expect(patternError(pattern)).toBeUndefined();
  });

  it('refuses a pattern whose compiled program is too large, and a flow whose patterns are together', () => {
    expect(patternError('\\w{999}')).toMatch(/^is too complex: it compiles to \d+ steps, at most 500/);
    const heavy: FlowCondition = { field: 'body', op: 'matches', value: '\\w{400}x' };
    const rules = Array.from({ length: 6 }, (): FlowRule => ({ when: [heavy], then: [tag] }));
    expect(flowErrors(flowOf(...rules), ctx).rules).toMatch(/^the flow's patterns compile to \d+ steps together, at most 2000/);
    expect(flowErrors(flowOf(...rules.slice(0, 4)), ctx)).toEqual({});
  });

  it('refuses a flow larger than FLOW_LIMITS.maxDefinitionBytes as JSON, though each value is within its own limit', () => {
    const values = Array.from({ length: FLOW_LIMITS.maxValues }, (_, n) => `${n}`.padEnd(FLOW_LIMITS.maxValueChars, 'x'));
    const rule: FlowRule = { when: [{ field: 'subject', op: 'in', values }], then: [tag] };
    expect(flowErrors(flowOf(rule), ctx)).toEqual({});
    expect(flowErrors(flowOf(rule, rule), ctx)).toEqual({ body: expect.stringMatching(/^must be at most 262144 bytes as JSON \(this flow is \d+\)/) });
  });

  it('keys every action error by rule, action index and field', () => {
    expect(actionErrors({ type: 'setQueue', queueId: 'nope' })).toEqual({ 'rules[0].then[0].queueId': 'queue nope does not exist' });
    expect(actionErrors({ type: 'addSkills', skills: ['Not A Slug'] })).toEqual({ 'rules[0].then[0].skills': 'must be a slug: 1-64 lower-case letters, digits and inner hyphens' });
    expect(actionErrors({ type: 'setLanguage', language: 'deu' })).toEqual({ 'rules[0].then[0].language': 'must be an ISO 639-1 code such as en, de or ja' });
    expect(actionErrors({ type: 'setPriority', priority: 0.5 })).toEqual({ 'rules[0].then[0].priority': 'must be an integer between -1000000 and 1000000' });
    expect(actionErrors({ type: 'adjustPriority', delta: 5_000_000 })).toEqual({ 'rules[0].then[0].delta': 'must be an integer between -2000000 and 2000000' });
    expect(actionErrors({ type: 'autoAcknowledge', subject: 'only a subject' })).toEqual({ 'rules[0].then[0].templateId': 'name a template, or give both subject and body' });
    const withTemplates = { ...ctx, templates: new Set(['ack-en']) };
    expect(flowErrors(flowOf({ when: [], then: [tag, { type: 'autoAcknowledge', templateId: 'ack-xx' }] }), withTemplates)).toEqual({
      'rules[0].then[1].templateId': 'template ack-xx does not exist',
    });
    expect(flowErrors(flowOf({ when: [], then: [{ type: 'autoAcknowledge', templateId: 'ack-en' }] }), withTemplates)).toEqual({});
    expect(actionErrors({ type: 'autoAcknowledge', subject: 'Re: {{subjet}}', body: 'x' })).toEqual({ 'rules[0].then[0].subject': 'unknown placeholder {{subjet}}' });
    // The subject becomes a header (issue 11 item 6): no line break, NEL, U+2028 or other control.
    expect(actionErrors({ type: 'autoAcknowledge', subject: 'Re: {{subject}}\u2028Bcc: x@y.test', body: 'x' })['rules[0].then[0].subject']).toContain('U+2028');
    expect(actionErrors({ type: 'autoAcknowledge', subject: 'Re:\u0085x', body: 'x' })['rules[0].then[0].subject']).toContain('U+0085');
    expect(actionErrors({ type: 'tag', tags: [] })).toEqual({ 'rules[0].then[0].tags': "must list 1-20 tags (lower-case letters, digits, ':', '_', '-')" });
    expect(() => assertValidFlow(flowOf({ when: [], then: [{ type: 'tag', tags: [] }] }), ctx)).toThrow(
      expect.objectContaining({ code: 'validation', fields: { 'rules[0].then[0].tags': "must list 1-20 tags (lower-case letters, digits, ':', '_', '-')" } }),
    );
    expect(actionErrors({ type: 'disconnect', reason: ' ' })).toEqual({ 'rules[0].then[0].reason': `must be 1-${FLOW_LIMITS.maxReasonChars} characters` });
  });

  it('enforces the limits on rules, conditions and actions, and a name', () => {
    const rule: FlowRule = { when: [], then: [tag] };
    expect(flowErrors(flowOf(...Array.from({ length: FLOW_LIMITS.maxRules + 1 }, () => rule)), ctx)).toEqual({ rules: `at most ${FLOW_LIMITS.maxRules} rules` });
    expect(flowErrors(flowOf(...Array.from({ length: FLOW_LIMITS.maxRules }, () => rule)), ctx)).toEqual({});
    const manyConditions = Array.from({ length: FLOW_LIMITS.maxConditionsPerRule + 1 }, (): FlowCondition => ({ field: 'subject', op: 'exists' }));
    expect(flowErrors(flowOf(rule, { when: manyConditions, then: [tag] }), ctx)).toEqual({ 'rules[1].when': `at most ${FLOW_LIMITS.maxConditionsPerRule} conditions` });
    expect(flowErrors(flowOf({ when: [], then: [] }), ctx)).toEqual({ 'rules[0].then': `must list 1-${FLOW_LIMITS.maxActionsPerRule} actions` });
    expect(flowErrors({ name: ' ', rules: [] }, ctx)).toEqual({ name: `must be 1-${FLOW_LIMITS.maxNameChars} characters` });
  });

  it('throws a ValidationError with the fields', () => {
    expect(() => assertValidFlow(flowOf({ when: [], then: [{ type: 'setQueue', queueId: 'nope' }] }), ctx)).toThrow(ValidationError);
  });

  it('refuses a flow larger than one DynamoDB item can hold, with that one field error', () => {
    const values = Array.from({ length: 200 }, (_, n) => `${n}`.padEnd(1_000, 'v'));
    const when: FlowCondition[] = [0, 1].map(() => ({ field: 'subject', op: 'in', values }));
    const big = flowOf({ when, then: [{ type: 'setQueue', queueId: 'nope' }] });
    expect(flowDefinitionBytes(big)).toBeGreaterThan(FLOW_MAX_DEFINITION_BYTES);
    expect(flowErrors(big, ctx)).toEqual({ body: expect.stringMatching(/^must be at most 262144 bytes as JSON/) });
    expect(() => assertValidFlow(big, ctx)).toThrow(expect.objectContaining({ fieldCodes: { body: 'too-big' } }));
    expect(flowErrors(flowOf({ when: [when[0]!], then: [tag] }), ctx)).toEqual({});
  });

  it('accepts the example flow documented in README.md', () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Addresses and flows'));
    const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)?.[1] ?? 'null') as FlowDefinition;
    expect(example.rules.length).toBeGreaterThan(0);
    expect(flowErrors(example, ctx)).toEqual({});
  });
});
