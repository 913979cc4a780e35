/**
 * What a deploy changes of the declared domains: only the difference between the previous and the
 * new declaration, names compared as DNS compares them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { declarationChange } from '../../../../lambdas/core/domains/domain-declaration.ts';

describe('declarationChange', () => {
  it('adds the new and the changed, removes the dropped, and leaves the same alone', () => {
    const change = declarationChange(
      [{ name: 'same.example.com' }, { name: 'changed.example.com' }, { name: 'dropped.example.com' }],
      [{ name: 'Same.Example.com.' }, { name: 'changed.example.com', hostedZoneId: 'Z1' }, { name: 'new.example.com' }],
    );

    expect(change).toEqual({ add: [{ name: 'changed.example.com', hostedZoneId: 'Z1' }, { name: 'new.example.com' }], remove: ['dropped.example.com'] });
  });

  it('changes nothing when a declaration is deployed again, whatever it holds', () => {
    // Names are unique in a declaration (the CDK construct refuses a name twice).
    const declaration = fc.uniqueArray(
      fc.record({ name: fc.domain(), mailFromDomain: fc.option(fc.domain(), { nil: undefined }), hostedZoneId: fc.option(fc.constantFrom('Z1', 'Z2'), { nil: undefined }) }, { requiredKeys: ['name'] }),
      { maxLength: 5, selector: (d) => d.name.toLowerCase() },
    );
    fc.assert(
      fc.property(declaration, (domains) => {
        expect(declarationChange(domains, domains)).toEqual({ add: [], remove: [] });
      }),
    );
  });

  it('creates everything and deletes everything', () => {
    expect(declarationChange([], [{ name: 'a.example.com' }])).toEqual({ add: [{ name: 'a.example.com' }], remove: [] });
    expect(declarationChange([{ name: 'a.example.com' }], [])).toEqual({ add: [], remove: ['a.example.com'] });
  });
});
