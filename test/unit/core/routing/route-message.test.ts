import { describe, expect, it } from 'vitest';
import { headerSafeMessageId } from '../../../../lambdas/core/routing/route-message.ts';

describe('headerSafeMessageId (what our replies may carry in In-Reply-To/References)', () => {
  it('keeps a well-formed id with its case and brackets', () => {
    expect(headerSafeMessageId('<AbC.123@Mail.Example>')).toBe('<AbC.123@Mail.Example>');
    expect(headerSafeMessageId(' abc@mail.example ')).toBe('<abc@mail.example>');
  });

  it.each([
    ['a line break (header injection)', '<abc@x>\r\nBcc: victim@example.org'],
    ['whitespace', '<abc def@x>'],
    ['brackets inside', '<a<b>@x>'],
    ['a control character', '<abc\u0007@x>'],
    ['nothing', '   '],
    ['an overlong id', `<${'a'.repeat(1_000)}@x>`],
  ])('refuses %s', (_what, raw) => {
    expect(headerSafeMessageId(raw)).toBeUndefined();
  });
});
