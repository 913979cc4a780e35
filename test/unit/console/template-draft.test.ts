/**
 * Choosing a template in the composer (console/src/features/workspace/components/template-draft.ts):
 * the body joins what the agent wrote, the subject is the template's (variables filled) unless the
 * agent typed one.
 */
import { describe, expect, it } from 'vitest';
import { applyTemplate } from '../../../console/src/features/workspace/components/template-draft.ts';

const vars = { subject: 'Bestellung 42', 'from.name': 'Kunde', reference: 'PR-7K3QX9AB' };
const template = { subject: 'Re: {{subject}} [{{ reference }}]', body: 'Hallo {{from.name}},\nIhre Lieferung ist unterwegs.' };

describe('applyTemplate', () => {
  it('fills an untyped subject and the body from the variables', () => {
    expect(applyTemplate({ subject: '', subjectTyped: false, text: '' }, template, vars)).toEqual({
      subject: 'Re: Bestellung 42 [PR-7K3QX9AB]',
      text: 'Hallo Kunde,\nIhre Lieferung ist unterwegs.',
    });
  });

  it('leaves a subject the agent typed alone and appends the body after a blank line', () => {
    const out = applyTemplate({ subject: 'Meine Betreffzeile', subjectTyped: true, text: 'Guten Tag,' }, template, vars);
    expect(out).toEqual({ text: 'Guten Tag,\n\nHallo Kunde,\nIhre Lieferung ist unterwegs.' });
    expect('subject' in out).toBe(false);
  });

  it('replaces a subject an earlier template filled (the agent did not type it)', () => {
    const out = applyTemplate({ subject: 'Re: Alte Vorlage', subjectTyped: false, text: 'x' }, template, vars);
    expect(out.subject).toBe('Re: Bestellung 42 [PR-7K3QX9AB]');
  });

  it('keeps the subject field when the template has no subject, and leaves unknown placeholders as typed', () => {
    const out = applyTemplate({ subject: '', subjectTyped: false, text: '' }, { subject: '', body: '{{unknown}} {{ subject }}' }, vars);
    expect(out).toEqual({ text: '{{unknown}} Bestellung 42' });
  });
});
