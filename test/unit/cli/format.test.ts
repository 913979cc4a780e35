import { describe, expect, it } from 'vitest';
import { formatQueueListings } from '../../../lambdas/cli/commands/queue.ts';
import { formatBytes } from '../../../lambdas/cli/commands/interaction.ts';
import { describeError, ApiError, CliError } from '../../../lambdas/cli/errors.ts';
import { displayWidth, formatAddress, formatAge, formatScore, formatTable, printable, truncate } from '../../../lambdas/cli/format.ts';

describe('CLI formatting', () => {
  it('says ages the way people do', () => {
    const ages = [0, 0.9, 3, 59, 60, 125, 24 * 60 - 1, 24 * 60, 3 * 24 * 60 + 4 * 60 + 30].map(formatAge);
    expect(ages).toEqual(['0m', '0m', '3m', '59m', '1h', '2h 5m', '23h 59m', '1d', '3d 4h']);
  });

  it('shows scores with at most one decimal and addresses with their names', () => {
    expect([24, 16.54, 21.049].map(formatScore)).toEqual(['24', '16.5', '21']);
    expect(formatAddress({ address: 'a@x.test', name: 'Alice' })).toBe('Alice <a@x.test>');
    expect(formatAddress({ address: 'a@x.test' })).toBe('a@x.test');
    expect(formatAddress(undefined)).toBe('-');
    expect([100, 1234, 5 * 1024 * 1024].map(formatBytes)).toEqual(['100 B', '1.2 KB', '5.0 MB']);
  });

  it('neutralizes terminal escape sequences and newlines from hostile mail', () => {
    expect(printable('Hi\u001b[2J\u001b]0;pwned\u0007 there\r\nBcc: x')).toBe('Hi [2J ]0;pwned  there Bcc: x');
  });

  it('truncates by terminal columns, never inside a wide character or an emoji', () => {
    expect(truncate('📦📦📦📦', 5)).toBe('📦📦…');
    expect(truncate('ご注文の商品が届きません', 9)).toBe('ご注文の…');
    expect(truncate('👩‍💻👩‍💻', 3)).toBe('👩‍💻…');
    expect(truncate('short', 10)).toBe('short');
  });

  it('lays out a table with aligned columns and no trailing spaces', () => {
    const table = formatTable(['id', 'subject', 'age'], [['i-1', 'Grüße 📦', '3m'], ['i-22', 'x', '2h 5m']]);
    // 'Grüße 📦' takes 8 columns (the parcel is wide), one more than SUBJECT
    expect(table.split('\n')).toEqual(['ID    SUBJECT   AGE', 'i-1   Grüße 📦  3m', 'i-22  x         2h 5m']);
  });

  it('keeps columns aligned after Japanese text, which takes two columns per character', () => {
    // Prepare
    const rows = [
      ['i-1', '山田 太郎 <taro@example.jp>', 'ご注文について', '3m'],
      ['i-22', 'ada@customer.example', 'Where is my parcel?', '2h 5m'],
    ];
    // Act
    const lines = formatTable(['id', 'from', 'subject', 'age'], rows).split('\n');
    // Assess: every AGE cell starts at the same terminal column
    const ageColumn = (line: string, age: string) => displayWidth(line.slice(0, line.lastIndexOf(age)));
    expect(new Set([ageColumn(lines[0]!, 'AGE'), ageColumn(lines[1]!, '3m'), ageColumn(lines[2]!, '2h 5m')]).size).toBe(1);
    expect(lines[1]).toBe('i-1   山田 太郎 <taro@example.jp>  ご注文について       3m');
  });

  it('formats a queue listing in the order given, and says when nothing waits', () => {
    const listing = {
      queueId: 'default',
      interactions: [
        { id: 'i-high', from: { address: 'a@c.test' }, subject: 'Urgent', enqueuedAt: '', ageMinutes: 4, priority: 20, score: 24 },
        { id: 'i-low', subject: '', enqueuedAt: '', ageMinutes: 125, priority: 10, score: 135.25 },
      ],
    };
    expect(formatQueueListings([listing]).split('\n')).toEqual([
      'QUEUE    ID      FROM      SUBJECT       AGE    PRIORITY  SCORE',
      'default  i-high  a@c.test  Urgent        4m     20        24',
      'default  i-low   -         (no subject)  2h 5m  10        135.3',
    ]);
    expect(formatQueueListings([{ queueId: 'vip', interactions: [] }], 'vip')).toBe('No interactions waiting in queue vip.');
  });

  it('describes API and usage errors in one line', () => {
    const api = new ApiError(400, 'validation', 'invalid request: limit', { limit: 'must be an integer between 1 and 200' });
    expect(describeError(api)).toBe('API error 400 validation: invalid request: limit (limit: must be an integer between 1 and 200)');
    expect(describeError(new CliError('use either --api or --stack, not both'))).toBe('use either --api or --stack, not both');
    expect(describeError(new TypeError('boom'))).toBe('unexpected error: boom (set POSTROOM_DEBUG=1 for details)');
  });
});
