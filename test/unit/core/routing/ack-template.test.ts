/**
 * Stored acknowledgement templates in core: the field messages an admin sees, and which templates
 * a flow names.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../lambdas/core/errors.ts';
import { ackTemplateErrors, assertValidAckTemplate, referencedTemplates } from '../../../../lambdas/core/routing/ack-template.ts';
import { compileFlow } from '../../../../lambdas/core/routing/flow-eval.ts';
import { FLOW_LIMITS } from '../../../../lambdas/core/routing/flow.ts';

const valid = { name: 'English', subject: 'We got it: {{subject}} [{{reference}}]', body: 'Hello {{from.name}},\n\nthanks.\n' };

describe('ackTemplateErrors', () => {
  it('accepts a template using the known placeholders', () => {
    expect(ackTemplateErrors(valid)).toEqual({});
    expect(() => assertValidAckTemplate(valid)).not.toThrow();
  });

  it('names each invalid field: blank name, multi-line subject, unknown placeholders', () => {
    expect(ackTemplateErrors({ name: ' ', subject: 'Re: {{subject}}\r\nBcc: x@y.test', body: 'Dear {{customer}} and {{ from.name }}' })).toEqual({
      name: `must be 1-${FLOW_LIMITS.maxNameChars} characters`,
      subject: 'must be one line',
      body: 'unknown placeholder {{customer}}',
    });
    expect(ackTemplateErrors({ ...valid, subject: '{{ticket}} received' })).toEqual({ subject: 'unknown placeholder {{ticket}}' });
  });

  it.each([
    ['NEL', 'Danke\u0085Bcc: x@y.test', 'must be one line'],
    ['U+2028', 'Danke\u2028x', 'must be one line'],
    ['NUL', 'Danke\u0000', 'U+0000'],
    ['ESC', 'Danke\u001b[31m', 'U+001B'],
  ])('refuses a subject with %s (it becomes a header)', (_what, subject, says) => {
    expect(ackTemplateErrors({ ...valid, subject }).subject).toContain(says);
  });

  it('enforces the flow limits on subject and body length, and refuses empty ones', () => {
    const long = { ...valid, subject: 'x'.repeat(FLOW_LIMITS.maxAckSubjectChars + 1), body: 'y'.repeat(FLOW_LIMITS.maxAckBodyChars + 1) };
    expect(ackTemplateErrors(long)).toEqual({
      subject: `must be 1-${FLOW_LIMITS.maxAckSubjectChars} characters`,
      body: `must be 1-${FLOW_LIMITS.maxAckBodyChars} characters`,
    });
    expect(ackTemplateErrors({ ...valid, body: '' })).toEqual({ body: `must be 1-${FLOW_LIMITS.maxAckBodyChars} characters` });
    expect(() => assertValidAckTemplate({ ...valid, body: '' })).toThrow(ValidationError);
  });
});

describe('referencedTemplates', () => {
  it('lists each template id a flow names once, ignoring inline acknowledgements', () => {
    const flow = compileFlow('triage', 1, {
      name: 'Triage',
      rules: [
        { when: [], then: [{ type: 'autoAcknowledge', templateId: 'ack-en' }, { type: 'tag', tags: ['x'] }] },
        { when: [], then: [{ type: 'autoAcknowledge', subject: 'Hi', body: 'Hello' }] },
        { when: [], then: [{ type: 'autoAcknowledge', templateId: 'ack-de' }, { type: 'autoAcknowledge', templateId: 'ack-en' }] },
      ],
    });
    expect(referencedTemplates(flow.rules)).toEqual(['ack-en', 'ack-de']);
  });
});
