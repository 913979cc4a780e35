/**
 * The config stores (address routes, versioned flows, acknowledgement templates), run unchanged on DynamoDB Local and
 * dynalite (decision 7).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoAddressRouteStore } from '../../../lambdas/adapters/dynamodb/config-store.ts';
import { DynamoFlowStore } from '../../../lambdas/adapters/dynamodb/flow-store.ts';
import { DynamoTemplateStore } from '../../../lambdas/adapters/dynamodb/template-store.ts';
import type { FlowDefinition } from '../../../lambdas/core/routing/flow.ts';
import type { EmailAddressRoute } from '../../../lambdas/core/routing/model.ts';
import type { RunningService } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { configRaceTests } from './config-races.ts';
import { addressRoute, at } from '../../support/factories.ts';

/** An address route of `address` as the config suites store it: queue `default`, Japanese billing skills. */
export const route = (address: string, over: Partial<EmailAddressRoute> = {}): EmailAddressRoute =>
  addressRoute(address, {
    fromName: 'Example Support',
    bcc: ['audit@example.test'],
    routing: { kind: 'queue', queueId: 'default', skills: ['billing'], language: 'ja', priority: 10 },
    ...over,
  });

const flow = (name: string, queueId = 'billing'): FlowDefinition => ({
  name,
  rules: [{ name: 'refunds', when: [{ field: 'subject', op: 'contains', value: 'refund' }], then: [{ type: 'setQueue', queueId }], stop: true }],
});

export function describeConfigStores(emulator: string, start: () => Promise<RunningService>, prefix: string): void {
  describe(`config stores on ${emulator}`, () => {
    let service: RunningService;
    let tables: Tables;
    let addresses: DynamoAddressRouteStore;
    let flows: DynamoFlowStore;
    let templates: DynamoTemplateStore;

    beforeAll(async () => {
      service = await start();
      tables = await createTables(service.endpoint, prefix);
      addresses = new DynamoAddressRouteStore(tables.doc, tables.config);
      flows = new DynamoFlowStore(tables.doc, tables.config);
      templates = new DynamoTemplateStore(tables.doc, tables.config);
    });
    afterAll(async () => {
      tables?.destroy();
      await service?.stop();
    });

    it('creates an address route once; a second create reports exists and changes nothing', async () => {
      const first = route('help@example.test', { replyTo: 'desk@example.test', spamRouting: { kind: 'disconnect' } });
      const outcomes = [await addresses.create(first), await addresses.create({ ...first, fromName: 'Other' })];
      expect(outcomes).toEqual(['created', 'exists']);
      expect(await addresses.get('help@example.test')).toEqual(first);
    });

    it('updates only an existing route, and deletes once', async () => {
      await addresses.create(route('sales@example.test'));
      await flows.put('sales-flow', flow('Sales'), at(1));
      const changed = route('sales@example.test', { routing: { kind: 'flow', flowId: 'sales-flow' }, updatedAt: at(5).toISOString() });
      expect(await addresses.update(changed)).toBe('updated');
      expect(await addresses.get('sales@example.test')).toEqual(changed);
      expect(await addresses.update(route('ghost@example.test'))).toBe('missing');
      expect(await addresses.get('ghost@example.test')).toBeUndefined();
      expect([await addresses.delete('sales@example.test'), await addresses.delete('sales@example.test')]).toEqual([true, false]);
    });

    it('lists routes sorted by address, and no flow items among them', async () => {
      await addresses.create(route('billing@example.test'));
      await flows.put('listed', flow('Listed'), at(1));
      expect((await addresses.list()).map((r) => r.address)).toEqual(['billing@example.test', 'help@example.test']);
    });

    it('versions flows: each put adds a version, old versions stay readable, the pointer names the current one', async () => {
      const v1 = await flows.put('triage', flow('Triage v1'), at(1));
      const v2 = await flows.put('triage', flow('Triage v2', 'default'), at(2));
      expect([v1.version, v2.version]).toEqual([1, 2]);
      expect(await flows.get('triage')).toEqual({ id: 'triage', name: 'Triage v2', version: 2, createdAt: at(1).toISOString(), updatedAt: at(2).toISOString() });
      expect((await flows.getVersion('triage'))?.definition).toEqual(flow('Triage v2', 'default'));
      expect(await flows.getVersion('triage', 1)).toEqual({ id: 'triage', version: 1, definition: flow('Triage v1'), createdAt: at(1).toISOString() });
      expect(await flows.getVersion('triage', 3)).toBeUndefined();
      expect((await flows.listVersions('triage')).map((v) => [v.version, v.definition.name])).toEqual([[1, 'Triage v1'], [2, 'Triage v2']]);
    });

    it('gives concurrent writers distinct versions and ends on the highest', async () => {
      const stored = await Promise.all([1, 2, 3].map((n) => flows.put('race', flow(`Race ${n}`), at(n))));
      expect(stored.map((s) => s.version).sort()).toEqual([1, 2, 3]);
      expect((await flows.get('race'))?.version).toBe(3);
      expect(await flows.listVersions('race')).toHaveLength(3);
    });

    it('lists flows by id, and deletes a flow with its history', async () => {
      await flows.put('gone', flow('Gone'), at(1));
      await flows.put('gone', flow('Gone again'), at(2));
      expect((await flows.list()).map((f) => [f.id, f.version])).toEqual([['gone', 2], ['listed', 1], ['race', 3], ['sales-flow', 1], ['triage', 2]]);
      expect(await flows.delete('gone')).toBe(true);
      expect(await flows.delete('gone')).toBe(false);
      expect([await flows.get('gone'), await flows.getVersion('gone', 1), await flows.listVersions('gone')]).toEqual([undefined, undefined, []]);
      // A re-created flow starts its history again at version 1.
      expect((await flows.put('gone', flow('Reborn'), at(3))).version).toBe(1);
    });

    it('creates, replaces, lists and deletes templates, apart from the other config items', async () => {
      const ack = { id: 'ack-en', name: 'English', subject: 'Got it: {{subject}}', body: 'Hello {{from.name}}\n', createdAt: at(1).toISOString(), updatedAt: at(1).toISOString() };
      expect(await templates.put(ack)).toBe('created');
      expect(await templates.put({ ...ack, body: 'Hi', updatedAt: at(2).toISOString() })).toBe('replaced');
      expect(await templates.put({ ...ack, id: 'ack-de', name: 'Deutsch' })).toBe('created');
      expect(await templates.get('ack-en')).toEqual({ ...ack, body: 'Hi', updatedAt: at(2).toISOString() });
      expect((await templates.list()).map((t) => t.id)).toEqual(['ack-de', 'ack-en']);
      expect([await templates.delete('ack-de'), await templates.delete('ack-de'), await templates.get('ack-de')]).toEqual([true, false, undefined]);
      expect(await templates.get('missing')).toBeUndefined();
    });

    configRaceTests(() => ({ tables, addresses, flows, templates }));
  });
}
