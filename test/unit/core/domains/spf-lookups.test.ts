/**
 * Counting an SPF record's DNS lookups through DNS (RFC 7208 4.6.4): includes and redirects are
 * followed through a TXT lookup served from a map, loops and broken includes are reported, and
 * the guard refuses more than 10 lookups.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../lambdas/core/errors.ts';
import { assertSpfLookups, countSpfLookups, type TxtLookup } from '../../../../lambdas/core/domains/spf-lookups.ts';

/** A TXT lookup over a fixed zone; it remembers the names asked for. */
function zone(records: Record<string, string[]>): TxtLookup & { asked: string[] } {
  const asked: string[] = [];
  const lookup = async (name: string) => {
    asked.push(name);
    return records[name] ?? [];
  };
  return Object.assign(lookup, { asked });
}

describe('countSpfLookups', () => {
  it('adds the lookups of included and redirected records to the record\'s own', async () => {
    // Prepare: 2 own (include, mx) + 2 in _spf.a.test (a, include) + 1 in _spf.b.test (redirect) + 1 in _spf.c.test (exists)
    const txt = zone({
      '_spf.a.test': ['v=spf1 a include:_spf.b.test ~all'],
      '_spf.b.test': ['google-site-verification=x', 'v=spf1 ip4:192.0.2.0/24 redirect=_spf.c.test'],
      '_spf.c.test': ['v=spf1 exists:%{i}.x.test ip6:2001:db8::/32 -all'],
    });
    // Act
    const count = await countSpfLookups('example.test', 'v=spf1 include:_spf.a.test mx ip4:198.51.100.1 -all', txt);
    // Assess
    expect(count).toEqual({ kind: 'ok', lookups: 6 });
    expect(txt.asked).toEqual(['_spf.a.test', '_spf.b.test', '_spf.c.test']);
  });

  it('does not follow a redirect beside all, nor a target with macros', async () => {
    const txt = zone({});
    expect(await countSpfLookups('example.test', 'v=spf1 include:%{l}._spf.example.test redirect=_spf.x.test ~all', txt)).toEqual({ kind: 'ok', lookups: 1 });
    expect(txt.asked).toEqual([]);
  });

  it('stops at the first lookup over 10', async () => {
    const txt = zone({ '_spf.a.test': ['v=spf1 a mx ptr a:x.test mx:y.test exists:z.test ~all'] });
    const count = await countSpfLookups('example.test', 'v=spf1 include:_spf.a.test include:_spf.a.test ~all', txt);
    expect(count).toEqual({ kind: 'over-limit', lookups: 11 });
  });

  it('reports includes that loop back', async () => {
    const txt = zone({ '_spf.a.test': ['v=spf1 include:example.test ~all'] });
    const count = await countSpfLookups('Example.test', 'v=spf1 include:_SPF.a.test ~all', txt);
    expect(count).toEqual({ kind: 'loop', chain: ['example.test', '_spf.a.test', 'example.test'] });
  });

  it('reports an include without exactly one SPF record, and an invalid record on the way', async () => {
    const txt = zone({ '_spf.two.test': ['v=spf1 a ~all', 'v=spf1 mx ~all'], '_spf.bad.test': ['v=spf1 ip4:256.0.0.1 ~all'] });
    expect(await countSpfLookups('example.test', 'v=spf1 include:_spf.none.test ~all', txt)).toMatchObject({ kind: 'broken', name: '_spf.none.test' });
    expect(await countSpfLookups('example.test', 'v=spf1 include:_spf.two.test ~all', txt)).toMatchObject({ kind: 'broken', message: expect.stringContaining('2 SPF records') });
    expect(await countSpfLookups('example.test', 'v=spf1 include:_spf.bad.test ~all', txt)).toMatchObject({ kind: 'broken', message: expect.stringContaining('"256.0.0.1"') });
  });

  it('names the includer only of a nested include: a top-level record may be published at more than one name', async () => {
    const txt = zone({ '_spf.mid.test': ['v=spf1 include:_spf.none.test ~all'] });

    const top = await countSpfLookups('example.test', 'v=spf1 include:_spf.none.test ~all', txt);
    const nested = await countSpfLookups('example.test', 'v=spf1 include:_spf.mid.test ~all', txt);

    expect(top).toEqual({ kind: 'broken', name: '_spf.none.test', message: '_spf.none.test has no SPF record' });
    expect(nested).toEqual({ kind: 'broken', name: '_spf.none.test', message: '_spf.none.test has no SPF record (included by _spf.mid.test)' });
  });

  it('lets a DNS failure through to the caller', async () => {
    const failing: TxtLookup = async () => {
      throw new Error('SERVFAIL');
    };
    await expect(countSpfLookups('example.test', 'v=spf1 include:_spf.a.test ~all', failing)).rejects.toThrow('SERVFAIL');
  });

  it('counts a chain of includes as the sum of its records (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 6 }), async (own) => {
        // Prepare: level i has own[i] `a` terms and includes level i+1
        const records: Record<string, string[]> = {};
        own.forEach((n, i) => {
          const next = i + 1 < own.length ? [`include:l${i + 1}.test`] : [];
          records[`l${i}.test`] = [['v=spf1', ...Array.from({ length: n }, () => 'a'), ...next, '~all'].join(' ')];
        });
        const expected = own.reduce((sum, n) => sum + n, 0) + own.length - 1;
        // Act
        const count = await countSpfLookups('l0.test', records['l0.test']![0]!, zone(records));
        // Assess
        expect(count).toEqual(expected <= 10 ? { kind: 'ok', lookups: expected } : { kind: 'over-limit', lookups: 11 });
      }),
      { numRuns: 200 },
    );
  });
});

describe('assertSpfLookups', () => {
  it('returns the count within the limit and refuses past it with a clear error', async () => {
    const txt = zone({ 'amazonses.com': ['v=spf1 ip4:199.255.192.0/22 ip4:199.127.232.0/22 -all'] });
    expect(await assertSpfLookups('example.test', 'v=spf1 include:amazonses.com ~all', txt)).toBe(1);
    const record = `v=spf1 ${Array.from({ length: 11 }, (_, i) => `a:h${i}.test`).join(' ')} ~all`;
    const error = await assertSpfLookups('example.test', record, txt).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldReasons).toEqual({ spf: 'spf.too-many-lookups' });
    expect((error as ValidationError).fields['spf']).toBe('the SPF record of example.test needs more than 10 DNS lookups with its includes (RFC 7208 4.6.4)');
  });

  it('says which include is broken', async () => {
    const error = await assertSpfLookups('example.test', 'v=spf1 include:_spf.gone.test ~all', zone({})).catch((e: unknown) => e);
    expect((error as ValidationError).fieldReasons).toEqual({ spf: 'spf.include-invalid' });
    expect((error as ValidationError).fields['spf']).toContain('_spf.gone.test has no SPF record');
  });
});
