/**
 * The custom resource for CDK-declared domains over the registry on in-memory ports: create adds
 * the declaration as the stack's, an update applies only the difference (never touching what an
 * admin added), delete removes the stack's domains, and a bad property fails the deploy.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DomainService } from '../../../lambdas/core/domains/domain-service.ts';
import { FakeDnsHost, FakeSes, MemoryDomainStore } from '../../support/domain-fakes.ts';

const ports = { store: new MemoryDomainStore(), ses: new FakeSes(), dns: new FakeDnsHost() };
const service = new DomainService({
  store: ports.store,
  ses: ports.ses,
  publisher: ports.dns,
  region: 'eu-west-1',
  maxDomains: 3,
  now: () => new Date('2026-11-26T09:00:00Z'),
});

vi.mock('../../../lambdas/adapters/domain-service-env.ts', () => ({ domainServiceFromEnv: () => service }));
const { handler, DECLARED_DOMAINS_ID } = await import('../../../lambdas/handlers/declared-domains.ts');

type Declared = ReadonlyArray<{ name: string; mailFromDomain?: string }>;

function event(RequestType: 'Create' | 'Update' | 'Delete', domains: Declared, old?: Declared): CloudFormationCustomResourceEvent {
  return {
    RequestType,
    ResourceProperties: { ServiceToken: 'arn', Domains: JSON.stringify(domains) },
    ...(old && { OldResourceProperties: { ServiceToken: 'arn', Domains: JSON.stringify(old) } }),
    PhysicalResourceId: DECLARED_DOMAINS_ID,
  } as unknown as CloudFormationCustomResourceEvent;
}

const owners = () => Object.fromEntries([...ports.store.items.values()].map((d) => [d.name, `${d.owner} ${d.mailFromDomain}`]));

beforeEach(() => {
  ports.store.items.clear();
  ports.ses.identities.clear();
});

describe('declared domains custom resource', () => {
  it('create adds every declared domain as the stack\'s, with the fixed physical id', async () => {
    const result = await handler(event('Create', [{ name: 'a.example.com' }, { name: 'b.example.com', mailFromDomain: 'mx.b.example.com' }]));

    expect(result).toEqual({ PhysicalResourceId: 'postroom-declared-domains', Data: { Added: 'a.example.com,b.example.com', Removed: '', Kept: '' } });
    expect(owners()).toEqual({ 'a.example.com': 'stack bounce.a.example.com', 'b.example.com': 'stack mx.b.example.com' });
  });

  it('update adds the new and changed, removes the dropped, and leaves an admin\'s domain alone', async () => {
    await handler(event('Create', [{ name: 'a.example.com' }, { name: 'b.example.com' }]));
    await service.add({ name: 'admin.example.com' }, 'api');

    const result = await handler(event('Update', [{ name: 'b.example.com', mailFromDomain: 'mx.b.example.com' }, { name: 'c.example.com' }], [{ name: 'a.example.com' }, { name: 'b.example.com' }, { name: 'admin.example.com' }]));

    expect(result.Data).toEqual({ Added: 'b.example.com,c.example.com', Removed: 'a.example.com', Kept: 'admin.example.com' });
    expect(owners()).toEqual({ 'admin.example.com': 'api bounce.admin.example.com', 'b.example.com': 'stack mx.b.example.com', 'c.example.com': 'stack bounce.c.example.com' });
    expect(ports.ses.identities.has('a.example.com')).toBe(false);
  });

  it('delete removes the stack\'s domains, also when one is gone already', async () => {
    await handler(event('Create', [{ name: 'a.example.com' }]));

    const result = await handler(event('Delete', [{ name: 'a.example.com' }, { name: 'gone.example.com' }]));

    expect(result.Data).toMatchObject({ Removed: 'a.example.com,gone.example.com' });
    expect(ports.store.items.size).toBe(0);
  });

  it('fails the deploy with the registry\'s message for a declaration it refuses', async () => {
    await expect(handler(event('Create', [{ name: 'not a domain' }]))).rejects.toThrow('postroom:domains: name: not a valid domain name: "not a domain"');
    const bad = { ...event('Create', []), ResourceProperties: { ServiceToken: 'arn', Domains: '{"name": 1}' } } as CloudFormationCustomResourceEvent;
    await expect(handler(bad)).rejects.toThrow('the Domains property must be a JSON list');
    await expect(handler(event('Create', [{ name: 'a.example.com' }, { name: 'A.example.com.' }]))).rejects.toThrow('the Domains property declares a.example.com twice');
  });
});
