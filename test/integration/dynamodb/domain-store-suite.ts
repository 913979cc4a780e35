/**
 * The domain store (DOMAIN#<name> items of the config table), run unchanged on DynamoDB Local and
 * dynalite (decision 7): a create happens once, an update only from the version it read, a delete
 * says whether there was anything, and the listing holds domains only, by name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAddressRouteStore } from '../../../lambdas/adapters/dynamodb/config-store.ts';
import { DynamoDomainStore } from '../../../lambdas/adapters/dynamodb/domain-store.ts';
import type { Domain } from '../../../lambdas/core/domains/domain.ts';
import type { RunningService } from '../../../lambdas/local/services.ts';
import { addressRoute } from '../../support/factories.ts';
import { createTables, type Tables } from './fixtures.ts';

/** A set-up domain with a stored status, as the registry writes one. */
export function storedDomain(name: string, over: Partial<Domain> = {}): Domain {
  return {
    name,
    mailFromDomain: `bounce.${name}`,
    hostedZoneId: 'Z1',
    owner: 'api',
    sesIdentity: 'created',
    dkimTokens: ['tok1', 'tok2', 'tok3'],
    publishedRecords: [{ name, type: 'MX', values: ['10 inbound-smtp.eu-west-1.amazonaws.com'], ttl: 300, purpose: 'inbound-mx' }],
    previousSpf: 'v=spf1 include:_spf.google.com ~all',
    status: {
      checkedAt: '2026-11-26T09:00:00.000Z',
      identity: 'pending',
      dkim: 'pending',
      mailFrom: 'verified',
      verifiedForSending: false,
      dns: 'action-needed',
      records: [{ name, type: 'MX', purpose: 'inbound-mx', state: 'missing' }],
    },
    createdAt: '2026-11-26T08:00:00.000Z',
    updatedAt: '2026-11-26T08:00:00.000Z',
    ...over,
  };
}

export function describeDomainStore(emulator: string, start: () => Promise<RunningService>, prefix: string): void {
  describe(`domain store on ${emulator}`, () => {
    let service: RunningService;
    let tables: Tables;
    let store: DynamoDomainStore;

    beforeAll(async () => {
      service = await start();
      tables = await createTables(service.endpoint, prefix);
      store = new DynamoDomainStore(tables.doc, tables.config);
    });
    afterAll(async () => {
      tables?.destroy();
      await service?.stop();
    });

    it('creates a domain once and reads it back unchanged', async () => {
      const domain = storedDomain('once.example.com');

      const outcomes = [await store.create(domain), await store.create({ ...domain, owner: 'stack' })];

      expect(outcomes).toEqual(['created', 'exists']);
      expect(await store.get('once.example.com')).toEqual(domain);
      expect(await store.get('missing.example.com')).toBeUndefined();
    });

    it('updates only from the version read: a stale update is a conflict, a removed domain missing', async () => {
      const domain = storedDomain('upd.example.com', { provisioning: true });
      await store.create(domain);
      const { provisioning: _, ...done } = { ...domain, updatedAt: '2026-11-26T08:05:00.000Z' };

      const first = await store.update(done, domain.updatedAt);
      const stale = await store.update({ ...done, owner: 'stack' }, domain.updatedAt);
      const missing = await store.update(storedDomain('gone.example.com'), domain.updatedAt);

      expect([first, stale, missing]).toEqual(['updated', 'conflict', 'missing']);
      expect(await store.get('upd.example.com')).toEqual(done);
    });

    it('lists domains only, sorted by name, and deletes once', async () => {
      const own = new DynamoDomainStore(tables.doc, tables.config);
      await new DynamoAddressRouteStore(tables.doc, tables.config).create(addressRoute('help@list.example.com'));
      await own.create(storedDomain('b-list.example.com'));
      await own.create(storedDomain('a-list.example.com'));

      const names = (await own.list()).map((d) => d.name).filter((n) => n.endsWith('list.example.com'));
      const deletes = [await own.delete('a-list.example.com'), await own.delete('a-list.example.com')];

      expect(names).toEqual(['a-list.example.com', 'b-list.example.com']);
      expect(deletes).toEqual([true, false]);
    });
  });
}
