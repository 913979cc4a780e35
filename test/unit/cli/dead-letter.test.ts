import { describe, expect, it } from 'vitest';
import { formatDeadLetter, formatDeadLetters } from '../../../lambdas/cli/commands/dead-letter.ts';
import type { DeadLetter } from '../../../lambdas/core/dead-letters.ts';

const dead: DeadLetter = {
  id: 'dl-1',
  state: 'dead',
  deadLetteredAt: '2026-11-26T10:00:00.000Z',
  sqsMessageId: 'm-1',
  receiveCount: 6,
  transportKey: 'ses:abc',
  interactionId: 'i-abc',
  reason: { code: 'storage-rejected', message: 'DynamoDB GetItem failed:\u001b[31m table gone', attempts: 5, at: '2026-11-26T09:59:00.000Z' },
  bodyObject: 'dead-letters/dl-1.json',
  bodyBytes: 9000,
};

describe('dead-letter command output', () => {
  it('lists dead letters with their reason, and says so when there are none', () => {
    expect(formatDeadLetters([])).toBe('No dead letters.');
    const rows = formatDeadLetters([dead]).split('\n').map((l) => l.trim().split(/\s{2,}/));
    expect(rows[1]!.slice(0, 5)).toEqual(['dl-1', '2026-11-26T10:00:00.000Z', 'dead', 'i-abc', 'storage-rejected']);
    expect(formatDeadLetters([dead], 'next')).toContain('(more: use --json for the cursor)');
  });

  it('shows the reason with its attempts, where the body is, and no terminal control characters', () => {
    const text = formatDeadLetter(dead);
    expect(text).toContain('Dead letter dl-1 (dead)');
    expect(text).toContain('(5 failed attempts, last at 2026-11-26T09:59:00.000Z)');
    expect(text).toContain('stored as dead-letters/dl-1.json');
    expect(text).not.toContain('\u001b');
  });
});
