/**
 * The events of a stored domain status and the next one: examples for each rule, and properties
 * over generated statuses (no event without a change, drift only from `ok`, never for optional
 * records or unreadable DNS).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DomainStatus, StoredRecordCheck } from '../../../../lambdas/core/domains/domain.ts';
import { domainEvents } from '../../../../lambdas/core/domains/domain-events.ts';
import type { RecordCheckState } from '../../../../lambdas/core/domains/record-check.ts';

const spf: StoredRecordCheck = { name: 'acme.com', type: 'TXT', purpose: 'spf', state: 'ok' };
const dkim: StoredRecordCheck = { name: 't1._domainkey.acme.com', type: 'CNAME', purpose: 'dkim', state: 'ok' };
const dmarc: StoredRecordCheck = { name: '_dmarc.acme.com', type: 'TXT', purpose: 'dmarc', state: 'ok', optional: true };

function status(records: StoredRecordCheck[], verifiedForSending = true, checkedAt = '2026-11-26T18:00:00.000Z'): DomainStatus {
  return { checkedAt, identity: 'verified', dkim: 'verified', mailFrom: 'verified', verifiedForSending, dns: 'ok', records };
}

describe('domainEvents', () => {
  it('announces verified when SES starts allowing the domain to send', () => {
    const events = domainEvents(status([spf], false), status([spf], true), 'acme.com');
    expect(events).toEqual([{ kind: 'verified', domain: 'acme.com', checkedAt: '2026-11-26T18:00:00.000Z' }]);
  });

  it('announces verified on a first check that finds the domain verified', () => {
    expect(domainEvents(undefined, status([spf]), 'acme.com').map((e) => e.kind)).toEqual(['verified']);
  });

  it('says nothing when the domain stays verified and every record stays right', () => {
    expect(domainEvents(status([spf, dkim]), status([spf, dkim]), 'acme.com')).toEqual([]);
  });

  it('announces drift for each required record that was ok and now is missing or wrong', () => {
    const next = status([{ ...spf, state: 'wrong-value' }, { ...dkim, state: 'missing' }]);
    const events = domainEvents(status([spf, dkim]), next, 'acme.com');
    expect(events).toEqual([
      { kind: 'drift', domain: 'acme.com', checkedAt: next.checkedAt, record: { name: 'acme.com', type: 'TXT', purpose: 'spf' }, was: 'ok', now: 'wrong-value' },
      { kind: 'drift', domain: 'acme.com', checkedAt: next.checkedAt, record: { name: 't1._domainkey.acme.com', type: 'CNAME', purpose: 'dkim' }, was: 'ok', now: 'missing' },
    ]);
  });

  it('does not call unreadable DNS drift', () => {
    expect(domainEvents(status([spf]), status([{ ...spf, state: 'lookup-failed' }]), 'acme.com')).toEqual([]);
  });

  it('does not announce a suggested record (DMARC) going missing', () => {
    expect(domainEvents(status([dmarc]), status([{ ...dmarc, state: 'missing' }]), 'acme.com')).toEqual([]);
  });

  it('does not announce a record that was never right', () => {
    expect(domainEvents(status([{ ...spf, state: 'missing' }]), status([{ ...spf, state: 'wrong-value' }]), 'acme.com')).toEqual([]);
  });
});

const states: RecordCheckState[] = ['ok', 'missing', 'wrong-value', 'conflicting', 'over-lookup-limit', 'lookup-failed'];
const record = fc.record({
  name: fc.constantFrom('acme.com', 'bounce.acme.com', 't1._domainkey.acme.com', '_dmarc.acme.com'),
  type: fc.constantFrom('TXT' as const, 'MX' as const, 'CNAME' as const),
  purpose: fc.constantFrom('spf' as const, 'dkim' as const, 'inbound-mx' as const, 'dmarc' as const),
  state: fc.constantFrom(...states),
  optional: fc.boolean(),
});
/** Records with unique keys, as a plan has them. */
const records = fc.uniqueArray(record, { selector: (r) => `${r.name} ${r.type} ${r.purpose}`, maxLength: 8 });
const statusArb = fc.tuple(records, fc.boolean()).map(([rs, verified]) => status(rs, verified));

describe('domainEvents properties', () => {
  it('a status compared with itself gives no event', () => {
    fc.assert(
      fc.property(statusArb, (s) => {
        expect(domainEvents(s, s, 'acme.com')).toEqual([]);
      }),
    );
  });

  it('every drift is of a required record that was ok and is now a changed, readable state', () => {
    fc.assert(
      fc.property(statusArb, statusArb, (previous, next) => {
        for (const e of domainEvents(previous, next, 'acme.com')) {
          if (e.kind !== 'drift') continue;
          const key = (r: StoredRecordCheck) => r.name === e.record.name && r.type === e.record.type && r.purpose === e.record.purpose;
          expect(previous.records.find(key)?.state).toBe('ok');
          const now = next.records.find(key)!;
          expect(now.optional).toBe(false);
          expect(['missing', 'wrong-value', 'conflicting', 'over-lookup-limit']).toContain(now.state);
        }
      }),
    );
  });

  it('verified is announced exactly when verifiedForSending turns true', () => {
    fc.assert(
      fc.property(statusArb, statusArb, (previous, next) => {
        const verified = domainEvents(previous, next, 'acme.com').filter((e) => e.kind === 'verified');
        expect(verified.length).toBe(!previous.verifiedForSending && next.verifiedForSending ? 1 : 0);
      }),
    );
  });
});
