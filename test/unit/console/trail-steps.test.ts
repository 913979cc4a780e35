/**
 * Every trail step the server writes has a name in every console language (`trail.<step>` in
 * lib/i18n/common), so the timeline and the dry run never show a bare English code in German or
 * Japanese. The steps are read from what lambdas/core writes: literal `step: '…'` and `note('…')`
 * entries, the steps of agents' sends (the outbox purposes), and the cut marker.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { common } from '../../../console/src/lib/i18n/common/index.ts';
import { AGENT_SENT_STEPS, CLAIM_STEPS, CUSTOMER_MESSAGE_STEP } from '../../../lambdas/core/agents/customer-replied.ts';
import { TRAIL_CUT_STEP } from '../../../lambdas/core/item-bounds.ts';

const CORE = resolve(import.meta.dirname, '../../../lambdas/core');

/** The step codes written as literals anywhere in core. */
async function literalSteps(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await literalSteps(path)));
    else if (entry.name.endsWith('.ts')) {
      const text = await readFile(path, 'utf8');
      for (const m of text.matchAll(/(?:step: |note\()'([a-z][a-z-]*)'/g)) found.push(m[1]!);
    }
  }
  return found;
}

describe('trail step names', () => {
  it('names every step core writes in en, de and ja', async () => {
    const literals = await literalSteps(CORE);
    expect(literals).toContain('claimed');
    const steps = new Set([...literals, ...AGENT_SENT_STEPS, ...CLAIM_STEPS, CUSTOMER_MESSAGE_STEP, TRAIL_CUT_STEP]);
    for (const locale of ['en', 'de', 'ja'] as const) {
      const dictionary: Readonly<Record<string, string>> = common[locale];
      expect([...steps].filter((s) => dictionary[`trail.${s}`] === undefined), locale).toEqual([]);
    }
  });
});
