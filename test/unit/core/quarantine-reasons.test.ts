/**
 * Quarantine reasons are one const array (core/errors.ts) with the type derived from it; the
 * README's "Bad input" section names every one, so an admin reading a reason finds it explained.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { QUARANTINE_REASONS, QuarantineError, type QuarantineReason } from '../../../lambdas/core/errors.ts';

describe('QUARANTINE_REASONS', () => {
  it('is the type of a quarantine reason, and lists each reason once', () => {
    expectTypeOf<QuarantineReason>().toEqualTypeOf<(typeof QUARANTINE_REASONS)[number]>();
    expect(new Set(QUARANTINE_REASONS).size).toBe(QUARANTINE_REASONS.length);
    expect(new QuarantineError('too-deep', 'nested 30 deep').code).toBe('too-deep');
  });

  it('is listed whole in the README', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8');
    const badInput = readme.slice(readme.indexOf('## Bad input'), readme.indexOf('\n## ', readme.indexOf('## Bad input') + 1));
    for (const reason of QUARANTINE_REASONS) expect(badInput, reason).toContain(`\`${reason}\``);
  });
});
