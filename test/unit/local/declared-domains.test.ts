/**
 * The local runtime's `--domain` names stored as `stack` domains at start: only what is absent,
 * so a restart changes nothing and a domain an admin added keeps its owner.
 */
import { describe, expect, it } from 'vitest';
import type { Domain } from '../../../lambdas/core/domains/domain.ts';
import { seedDeclaredDomains } from '../../../lambdas/local/declared-domains.ts';
import { T0, domainRecord } from '../../support/factories.ts';

/** A domain store in memory, with create's conditional semantics. */
function memoryDomains(initial: readonly Domain[] = []) {
  const items = new Map(initial.map((d) => [d.name, d]));
  return {
    items,
    create: async (d: Domain) => (items.has(d.name) ? ('exists' as const) : (items.set(d.name, d), 'created' as const)),
  };
}

describe('seedDeclaredDomains', () => {
  it('stores each declared name once, lower-cased, as a stack domain with nothing created in SES', async () => {
    // Prepare
    const store = memoryDomains();

    // Act
    const created = await seedDeclaredDomains(store, ['Support.Example.test', 'support.example.test.', 'b.test'], T0);

    // Assess
    expect(created).toEqual(['support.example.test', 'b.test']);
    expect(store.items.get('support.example.test')).toEqual({
      name: 'support.example.test',
      mailFromDomain: 'bounce.support.example.test',
      owner: 'stack',
      sesIdentity: 'adopted',
      dkimTokens: [],
      publishedRecords: [],
      createdAt: T0.toISOString(),
      updatedAt: T0.toISOString(),
    });
  });

  it('leaves a domain that exists as it is, whoever added it', async () => {
    // Prepare
    const added = domainRecord('support.example.test', { owner: 'api', mailFromDomain: 'mail.support.example.test' });
    const store = memoryDomains([added]);

    // Act
    const created = await seedDeclaredDomains(store, ['support.example.test']);

    // Assess
    expect(created).toEqual([]);
    expect(store.items.get('support.example.test')).toBe(added);
  });
});
