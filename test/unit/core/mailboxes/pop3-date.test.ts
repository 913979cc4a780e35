import { describe, expect, it } from 'vitest';
import { dateOf } from '../../../../lambdas/core/mailboxes/pop3-poll.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('the Date of a POP3 header block (backfill window)', () => {
  it('reads a folded Date with a comment', () => {
    expect(dateOf(bytes('Subject: x\r\nDate: Tue, 3 Nov 2026\r\n 10:00:00 +0100 (CET)\r\n\r\n'))).toBe(Date.parse('2026-11-03T09:00:00Z'));
  });

  it('answers undefined without a Date or with an unreadable one (the message is then fetched)', () => {
    expect(dateOf(bytes('Subject: no date\r\n\r\n'))).toBeUndefined();
    expect(dateOf(bytes('Date: someday\r\n\r\n'))).toBeUndefined();
    expect(dateOf(bytes('X-Old-Date: Tue, 3 Nov 2020 10:00:00 +0000\r\n\r\n'))).toBeUndefined();
  });
});
