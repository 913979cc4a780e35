/**
 * One domain's status (domain-check.ts) over in-memory ports: the plan it checks against, the DNS
 * verdict and SES's states side by side, `verifiedAt` set once and kept, a missing identity read as
 * failed, and what the status means for mail in plain sentences.
 */
import { describe, expect, it } from 'vitest';
import { checkDomain, planOf, statusSummary } from '../../../../lambdas/core/domains/domain-check.ts';
import type { Domain, DomainStatus } from '../../../../lambdas/core/domains/domain.ts';
import { FakeSes, mapLookup } from '../../../support/domain-fakes.ts';

const SES_SPF = 'v=spf1 include:amazonses.com ~all';
const domain = (over: Partial<Domain> = {}): Domain => ({
  name: 'support.example.com',
  mailFromDomain: 'bounce.support.example.com',
  owner: 'api',
  sesIdentity: 'created',
  dkimTokens: ['supporttok1', 'supporttok2', 'supporttok3'],
  publishedRecords: [],
  createdAt: '2026-11-26T08:00:00.000Z',
  updatedAt: '2026-11-26T08:00:00.000Z',
  ...over,
});

/** DNS holding the plan of {@link domain} exactly (DMARC too), and amazonses.com's own SPF. */
function rightDns(): Record<string, string[]> {
  const answers: Record<string, string[]> = { 'TXT amazonses.com': ['v=spf1 ip4:199.255.192.0/22 ~all'] };
  for (const r of planOf(domain(), 'eu-west-1').records) answers[`${r.type} ${r.name}`] = [...r.values];
  return answers;
}

async function sesWith(verified: boolean): Promise<FakeSes> {
  const ses = new FakeSes();
  await ses.ensure({ domain: 'support.example.com', mailFromDomain: 'bounce.support.example.com' });
  if (verified) ses.verified.add('support.example.com');
  return ses;
}

const at = (minute: number) => () => new Date(Date.UTC(2026, 10, 26, 9, minute));

describe('checkDomain', () => {
  it('checks the plan with SES sending (its SPF includes amazonses.com) and reports SES and DNS side by side', async () => {
    const result = await checkDomain(domain(), { ses: await sesWith(false), lookup: mapLookup(rightDns()), region: 'eu-west-1', now: at(0) });

    expect(result.plan.records.find((r) => r.purpose === 'spf')?.values).toEqual([SES_SPF]);
    expect(result.status).toMatchObject({ checkedAt: '2026-11-26T09:00:00.000Z', identity: 'pending', dkim: 'pending', mailFrom: 'pending', verifiedForSending: false, dns: 'ok' });
    expect(result.status.records.map((r) => r.state)).toEqual(Array(8).fill('ok'));
    expect(result.status.verifiedAt).toBeUndefined();
  });

  it('sets verifiedAt when SES first reports the domain verified, and keeps it at later checks', async () => {
    const deps = { ses: await sesWith(true), lookup: mapLookup(rightDns()), region: 'eu-west-1' };

    const first = await checkDomain(domain(), { ...deps, now: at(5) });
    const later = await checkDomain(domain({ status: first.status }), { ...deps, now: at(30) });

    expect(first.status.verifiedAt).toBe('2026-11-26T09:05:00.000Z');
    expect([later.status.checkedAt, later.status.verifiedAt]).toEqual(['2026-11-26T09:30:00.000Z', '2026-11-26T09:05:00.000Z']);
  });

  it('reads an identity deleted outside Postroom as failed, and missing records as action needed', async () => {
    const result = await checkDomain(domain(), { ses: new FakeSes(), lookup: mapLookup({}), region: 'eu-west-1', now: at(0) });

    expect(result.ses).toBeUndefined();
    expect(result.status).toMatchObject({ identity: 'failed', dkim: 'failed', mailFrom: 'failed', dns: 'action-needed' });
    expect(result.status.records.filter((r) => !r.optional).every((r) => r.state === 'missing')).toBe(true);
    expect(result.status.records.find((r) => r.purpose === 'dmarc')).toMatchObject({ optional: true, state: 'missing' });
  });

  it('adds the SMTP servers that send for the domain to the SPF it checks for', async () => {
    const result = await checkDomain(domain(), { ses: await sesWith(false), lookup: mapLookup(rightDns()), region: 'eu-west-1', now: at(0), smtpSenders: () => ['192.0.2.25'] });

    expect(result.plan.records.find((r) => r.purpose === 'spf')?.values).toEqual(['v=spf1 include:amazonses.com ip4:192.0.2.25 ~all']);
    expect(result.status.records.find((r) => r.purpose === 'spf')?.state).toBe('wrong-value');
  });
});

describe('statusSummary', () => {
  const status = (over: Partial<DomainStatus> = {}): DomainStatus => ({
    checkedAt: '2026-11-26T09:00:00.000Z',
    identity: 'verified',
    dkim: 'verified',
    mailFrom: 'verified',
    verifiedForSending: true,
    dns: 'ok',
    records: [],
    ...over,
  });

  it('says only that SES may send when everything is verified and right', () => {
    expect(statusSummary(status())).toEqual(['SES may send from this domain.']);
  });

  it('says mail goes out unsigned while DKIM is not verified, with SES\'s MAIL FROM meanwhile, and what DNS needs', () => {
    const lines = statusSummary(status({ identity: 'pending', dkim: 'pending', mailFrom: 'failed', verifiedForSending: false, dns: 'action-needed' }));

    expect(lines).toEqual([
      'SES may not send from this domain yet (identity pending); replies go through the SMTP server that owns the sender address, if any.',
      'DKIM is pending: mail goes out without a DKIM signature until SES finds the three CNAMEs.',
      'The MAIL FROM domain is failed: SES uses its own MAIL FROM (amazonses.com) until its MX resolves.',
      'Some DNS records are missing or wrong: run `postroom domain check` for each record.',
    ]);
    expect(statusSummary(status({ dns: 'unknown' }))).toContain('Some records could not be read from DNS (lookup-failed): the check is incomplete, not wrong.');
  });
});
