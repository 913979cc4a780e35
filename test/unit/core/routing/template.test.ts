import { describe, expect, it } from 'vitest';
import { FLOW_LIMITS } from '../../../../lambdas/core/routing/flow.ts';
import { oneLine, renderAckTemplate, templateValuesOf, unknownPlaceholders } from '../../../../lambdas/core/routing/template.ts';

describe('auto-acknowledgement templates', () => {
  it('fills the placeholders, with or without inner spaces', () => {
    const out = renderAckTemplate(
      { subject: 'Re: {{subject}} [{{reference}}]', body: 'Dear {{ from.name }},\nwe got your mail to {{recipient}} from {{from.address}}.' },
      { subject: 'Order 4711', reference: 'i-abc', 'from.name': 'Alice', 'from.address': 'alice@customer.test', recipient: 'help@support.example.com' },
    );
    expect(out).toEqual({
      subject: 'Re: Order 4711 [i-abc]',
      body: 'Dear Alice,\nwe got your mail to help@support.example.com from alice@customer.test.',
    });
  });

  it('never lets CR or LF into the subject, whether from a value or the template', () => {
    const out = renderAckTemplate(
      { subject: 'Re: {{subject}}\r\nX-Injected: 1', body: 'Hi {{from.name}}' },
      { subject: 'Hello\r\nBcc: victim@x.test', 'from.name': 'Mallory\r\n\r\n<html>' },
    );
    expect(out.subject).toBe('Re: Hello Bcc: victim@x.test X-Injected: 1');
    expect(out.subject).not.toMatch(/[\r\n]/);
    expect(out.body).toBe('Hi Mallory <html>');
  });

  it('strips control characters and Unicode line separators, and caps the subject', () => {
    expect(oneLine('a\u2028b\u0085c\u0000d\u001b[31m')).toBe('a b c d [31m');
    const out = renderAckTemplate({ subject: '{{subject}}', body: '' }, { subject: 'x'.repeat(5_000) });
    expect(out.subject).toHaveLength(FLOW_LIMITS.maxAckSubjectChars);
  });

  it('renders missing values and unknown placeholders as empty, and reports unknown ones for validation', () => {
    expect(renderAckTemplate({ subject: 'Re: {{subject}}{{nope}}', body: '{{reference}}' }, {})).toEqual({ subject: 'Re:', body: '' });
    expect(unknownPlaceholders('{{subject}} {{ from.email }} {{x}}')).toEqual(['from.email', 'x']);
  });

  it('takes values from the message, falling back to the address when the sender has no name', () => {
    const values = templateValuesOf({ subject: 'Hi', from: { address: 'bob@x.test' } }, 'i-1', 'help@support.example.com');
    expect(renderAckTemplate({ subject: '{{subject}} [{{reference}}]', body: '{{from.name}} -> {{recipient}}' }, values)).toEqual({
      subject: 'Hi [i-1]',
      body: 'bob@x.test -> help@support.example.com',
    });
  });
});
