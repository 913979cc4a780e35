/** The Date header as the POP3 backfill count reads it from a TOP n 0 header block. */
import { describe, expect, it } from 'vitest';
import { headerDate } from '../../../../lambdas/adapters/mailboxes/pop3-backfill.ts';

describe('headerDate', () => {
  it.each([
    ['Subject: x\r\nDate: Tue, 24 Nov 2026 10:00:00 +0100\r\n\r\n', Date.UTC(2026, 10, 24, 9)],
    ['DATE: Tue, 24 Nov 2026\r\n 10:00:00 +0000 (UTC)\r\nSubject: folded\r\n\r\n', Date.UTC(2026, 10, 24, 10)],
    ['Subject: no date\r\n\r\n', undefined],
    ['Date: sometime soon\r\n\r\n', undefined],
  ])('%j', (header, expected) => {
    expect(headerDate(Buffer.from(header, 'latin1'))).toBe(expected);
  });
});
