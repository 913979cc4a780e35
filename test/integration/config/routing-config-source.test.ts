/**
 * The routing Lambda's cached view of the configuration, over the real stores on dynalite: changes
 * show after the TTL, not before; absent routes are cached too; flows come back compiled; stored
 * templates are replaced after the TTL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CachedRoutingConfigSource, CONFIG_CACHE_TTL_MS } from '../../../lambdas/adapters/config/routing-config-source.ts';
import { DynamoAddressRouteStore } from '../../../lambdas/adapters/dynamodb/config-store.ts';
import { DynamoFlowStore } from '../../../lambdas/adapters/dynamodb/flow-store.ts';
import { DynamoTemplateStore } from '../../../lambdas/adapters/dynamodb/template-store.ts';
import { evaluateFlow } from '../../../lambdas/core/routing/flow-eval.ts';
import type { FlowDefinition } from '../../../lambdas/core/routing/flow.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { benchMessage } from '../../bench/flow-fixtures.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { route } from './config-store-suite.ts';
import { at } from '../../support/factories.ts';

const toQueue = (queueId: string): FlowDefinition => ({ name: queueId, rules: [{ when: [], then: [{ type: 'setQueue', queueId }] }] });

describe('cached routing configuration on dynalite', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let addresses: DynamoAddressRouteStore;
  let flows: DynamoFlowStore;
  let templates: DynamoTemplateStore;
  let now = 0;
  let source: CachedRoutingConfigSource;

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'config-source');
    addresses = new DynamoAddressRouteStore(tables.doc, tables.config);
    flows = new DynamoFlowStore(tables.doc, tables.config);
    templates = new DynamoTemplateStore(tables.doc, tables.config);
    source = new CachedRoutingConfigSource(addresses, flows, templates, () => now);
  });
  afterAll(async () => {
    tables?.destroy();
    await dynalite?.stop();
  });

  it('sees a new address route only after the TTL (absent routes are cached as well)', async () => {
    expect(await source.addressRoute('help@example.test')).toBeUndefined();
    await addresses.create(route('help@example.test'));
    const before = await source.addressRoute('HELP@example.test');
    now += CONFIG_CACHE_TTL_MS + 1;
    const after = await source.addressRoute('help@example.test');
    expect(before).toBeUndefined();
    expect(after?.fromName).toBe('Example Support');
  });

  it('serves the current flow version compiled, and a new version after the TTL', async () => {
    await flows.put('triage', toQueue('billing'), at(1));
    now += CONFIG_CACHE_TTL_MS + 1;
    const v1 = await source.flow('triage');
    await flows.put('triage', toQueue('sales'), at(2));
    const cached = await source.flow('triage');
    now += CONFIG_CACHE_TTL_MS + 1;
    const v2 = await source.flow('triage');
    expect([v1?.version, cached?.version, v2?.version]).toEqual([1, 1, 2]);
    expect(evaluateFlow(v2!, benchMessage()).queueId).toBe('sales');
    expect(await source.flow('missing')).toBeUndefined();
  });

  it('serves a stored template, and its replacement only after the TTL', async () => {
    const stored = { id: 'ack-en', name: 'English', subject: 'Got it: {{subject}}', body: 'Hello', createdAt: at(1).toISOString(), updatedAt: at(1).toISOString() };
    expect(await source.template('ack-en')).toBeUndefined();
    now += CONFIG_CACHE_TTL_MS + 1;
    await templates.put(stored);
    const first = await source.template('ack-en');
    await templates.put({ ...stored, subject: 'Thanks: {{subject}}' });
    const cached = await source.template('ack-en');
    now += CONFIG_CACHE_TTL_MS + 1;
    const replaced = await source.template('ack-en');
    expect([first?.subject, cached?.subject, replaced?.subject]).toEqual(['Got it: {{subject}}', 'Got it: {{subject}}', 'Thanks: {{subject}}']);
    expect(replaced).toEqual({ subject: 'Thanks: {{subject}}', body: 'Hello' });
  });
});
