import { describe, expect, it } from 'vitest';
import { headerSafeMessageId, MAX_OUTGOING_REFERENCES, replyReferences } from '../../../../lambdas/core/outbound/headers.ts';

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

describe('replyReferences (the References of a reply)', () => {
  it('keeps the safe references in order and ends with the message replied to', () => {
    expect(replyReferences(['<root@x>', '<a b@x>', 'mid@x'], '<last@x>')).toEqual(['<root@x>', '<mid@x>', '<last@x>']);
  });

  it('keeps the newest ones when there are too many, the message replied to last', () => {
    const many = Array.from({ length: 30 }, (_, i) => `<m${i}@x>`);
    const out = replyReferences(many, '<last@x>');
    expect(out).toHaveLength(MAX_OUTGOING_REFERENCES);
    expect(out.at(-1)).toBe('<last@x>');
    expect(out[0]).toBe(`<m${30 - MAX_OUTGOING_REFERENCES + 1}@x>`);
  });

  it('has no In-Reply-To entry when the message had no safe Message-ID', () => {
    expect(replyReferences(['<a@x>'], undefined)).toEqual(['<a@x>']);
  });
});
