/**
 * Configuration races (config-references.ts), run inside the config store suite on DynamoDB Local
 * and dynalite: a delete racing a write that names the deleted item never leaves a dangling
 * reference, and concurrent address updates never silently overwrite each other.
 */
import { expect, it } from 'vitest';
import { addReference, newReferenceWrite, STALE_REFERENCE_MS } from '../../../lambdas/adapters/dynamodb/config-references.ts';
import type { DynamoAddressRouteStore } from '../../../lambdas/adapters/dynamodb/config-store.ts';
import { flowPk, type DynamoFlowStore } from '../../../lambdas/adapters/dynamodb/flow-store.ts';
import type { DynamoTemplateStore } from '../../../lambdas/adapters/dynamodb/template-store.ts';
import { ConflictError, ValidationError } from '../../../lambdas/core/errors.ts';
import type { FlowDefinition } from '../../../lambdas/core/routing/flow.ts';
import type { EmailAddressRoute } from '../../../lambdas/core/routing/model.ts';
import type { Tables } from '../dynamodb/fixtures.ts';
import { addressRoute } from '../../support/factories.ts';

interface Stores {
  readonly tables: Tables;
  readonly addresses: DynamoAddressRouteStore;
  readonly flows: DynamoFlowStore;
  readonly templates: DynamoTemplateStore;
}

const ROUNDS = 12;
const T = '2026-11-23T09:00:00.000Z';
const toFlow = (address: string, flowId: string): EmailAddressRoute => addressRoute(address, { fromName: 'Races', routing: { kind: 'flow', flowId }, createdAt: T, updatedAt: T });
const plainFlow: FlowDefinition = { name: 'plain', rules: [{ when: [], then: [{ type: 'tag', tags: ['x'] }] }] };
const acking = (templateId: string): FlowDefinition => ({ name: 'acking', rules: [{ when: [], then: [{ type: 'autoAcknowledge', templateId }] }] });
const settle = <V>(p: Promise<V>) => p.then((value) => ({ value }), (error: unknown) => ({ error }));

/** Registers the race tests; `stores` is read when they run (after the suite's beforeAll). */
export function configRaceTests(stores: () => Stores): void {
  it('a flow deleted while a route is pointed at it: one of the two wins, never a dangling route', async () => {
    const { addresses, flows } = stores();
    const wins = { route: 0, delete: 0 };
    for (let n = 0; n < ROUNDS; n++) {
      await flows.put(`race-flow-${n}`, plainFlow, new Date(T));
      const [created, deleted] = await Promise.all([settle(addresses.create(toFlow(`race-${n}@example.test`, `race-flow-${n}`))), settle(flows.delete(`race-flow-${n}`))]);
      const route = await addresses.get(`race-${n}@example.test`);
      const flow = await flows.get(`race-flow-${n}`);
      if (route) {
        expect(flow, `round ${n}: the route names an existing flow`).toBeDefined();
        expect((deleted as { error: unknown }).error).toMatchObject({ code: 'flow-in-use' });
        wins.route++;
      } else {
        expect(flow).toBeUndefined();
        expect((created as { error: unknown }).error).toBeInstanceOf(ValidationError);
        wins.delete++;
      }
    }
    expect(wins.route + wins.delete).toBe(ROUNDS);
  });

  it('a template deleted while a flow is pointed at it: one of the two wins, never a dangling template id', async () => {
    const { flows, templates } = stores();
    for (let n = 0; n < ROUNDS; n++) {
      await templates.put({ id: `race-t-${n}`, name: 't', subject: 's', body: 'b', createdAt: T, updatedAt: T });
      const [put, deleted] = await Promise.all([settle(flows.put(`race-acking-${n}`, acking(`race-t-${n}`), new Date(T))), settle(templates.delete(`race-t-${n}`))]);
      const template = await templates.get(`race-t-${n}`);
      const flow = await flows.getVersion(`race-acking-${n}`);
      if (flow) {
        expect(template, `round ${n}: the flow names an existing template`).toBeDefined();
        expect((deleted as { error: unknown }).error).toMatchObject({ code: 'template-in-use' });
      } else {
        expect(template).toBeUndefined();
        expect((put as { error: unknown }).error).toBeInstanceOf(ValidationError);
      }
    }
  });

  it('refuses to delete what is in use with a stable code, and allows it once the reference is gone', async () => {
    const { addresses, flows, templates } = stores();
    await templates.put({ id: 'used-t', name: 't', subject: 's', body: 'b', createdAt: T, updatedAt: T });
    await flows.put('used-f', acking('used-t'), new Date(T));
    await addresses.create(toFlow('used@example.test', 'used-f'));
    // A template put keeps the references of the flows that name it.
    await templates.put({ id: 'used-t', name: 't2', subject: 's', body: 'b', createdAt: T, updatedAt: T });
    await expect(templates.delete('used-t')).rejects.toMatchObject({ code: 'template-in-use', message: 'template used-t is in use by flow used-f' });
    await expect(templates.delete('used-t')).rejects.toBeInstanceOf(ConflictError);
    await expect(flows.delete('used-f')).rejects.toMatchObject({ code: 'flow-in-use', message: 'flow used-f is in use by address used@example.test' });
    // A new flow version that names no template frees it; deleting the route frees the flow.
    await flows.put('used-f', plainFlow, new Date(T));
    expect(await templates.delete('used-t')).toBe(true);
    expect(await addresses.delete('used@example.test')).toBe(true);
    expect(await flows.delete('used-f')).toBe(true);
  });

  it('a reference left by a crashed write blocks a delete while fresh and is swept once stale', async () => {
    const { tables, flows } = stores();
    await flows.put('crashed', plainFlow, new Date(T));
    expect(await addReference(tables.doc, tables.config, flowPk('crashed'), newReferenceWrite('ghost@example.test'))).toBe(true);
    await expect(flows.delete('crashed')).rejects.toMatchObject({ code: 'flow-in-use' });
    await flows.put('crashed-old', plainFlow, new Date(T));
    await addReference(tables.doc, tables.config, flowPk('crashed-old'), newReferenceWrite('ghost@example.test', Date.now() - STALE_REFERENCE_MS - 1_000));
    expect(await flows.delete('crashed-old')).toBe(true);
  });

  it('of concurrent updates of one address read at the same time, one wins and the other is told (conflict)', async () => {
    const { addresses, flows } = stores();
    await flows.put('upd-a', plainFlow, new Date(T));
    await flows.put('upd-b', plainFlow, new Date(T));
    await addresses.create(toFlow('upd@example.test', 'upd-a'));
    const read = (await addresses.get('upd@example.test'))!;
    const outcomes = await Promise.all(
      ['upd-a', 'upd-b'].map((flowId, n) => addresses.update({ ...toFlow('upd@example.test', flowId), fromName: `writer ${n}`, updatedAt: `2026-11-23T10:00:0${n}.000Z` }, read.updatedAt)),
    );
    expect([...outcomes].sort()).toEqual(['conflict', 'updated']);
    const stored = await addresses.get('upd@example.test');
    expect(stored?.fromName).toBe(`writer ${outcomes.indexOf('updated')}`);
    // The loser's flow reference was released: only the stored route holds one.
    const other = outcomes.indexOf('conflict') === 0 ? 'upd-a' : 'upd-b';
    if (other !== (stored?.routing as { flowId: string }).flowId) expect(await flows.delete(other)).toBe(true);
  });
}
