/**
 * `postroom interaction assign|search`, `quarantine reroute` and `flow dry-run` as users run them
 * (issue 12 items 3 and 4): a child process against the API served on 127.0.0.1 over dynalite.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoInteractionStore } from '../../../lambdas/adapters/dynamodb/interaction-store.ts';
import { DynamoSearchIndex, withSearchIndex } from '../../../lambdas/adapters/dynamodb/search-index.ts';
import { DynamoThreadIndex } from '../../../lambdas/adapters/dynamodb/thread-index.ts';
import { languageDetector } from '../../../lambdas/adapters/language/detect.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { runPostroom } from '../../support/cli.ts';
import { at } from '../../support/factories.ts';
import { dynamoApiApp, serveApi, type ServedApi } from '../../support/api-app.ts';
import { plainMessage } from '../../support/mail-builder.ts';
import { createTables, quarantined, waiting, type Tables } from '../dynamodb/fixtures.ts';

describe('postroom supervisor and dry-run commands against a served API', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let server: ServedApi;
  let dir: string;
  const postroom = (...args: string[]) => runPostroom(['--api', server.url, ...args]);

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'cli-supervise');
    const threads = new DynamoThreadIndex(tables.doc, tables.interactions);
    server = await serveApi(dynamoApiApp(tables, { acd: true, domains: ['example.test'] }, { flowDryRun: { settings: { defaultQueueId: 'support', defaultPriority: 0 }, detectLanguage: languageDetector(), threads } }));
    dir = await mkdtemp(join(tmpdir(), 'postroom-supervise-'));
    const store = withSearchIndex(new DynamoInteractionStore(tables.doc, tables.interactions), new DynamoSearchIndex(tables.doc, tables.interactions));
    await store.create(waiting('i-cli-1', { queueId: 'support', enqueuedAt: at(1), priority: 0, subject: 'Refund for order 77', from: 'ada@customer.test' }));
    await store.create(quarantined('i-cli-q', at(2)));
  });
  afterAll(async () => {
    await server?.close();
    tables?.destroy();
    await dynalite?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('assigns, searches and re-routes', async () => {
    expect((await postroom('queue', 'add', 'support', '--name', 'Support')).code).toBe(0);
    expect((await postroom('agent', 'add', 'anna', '--name', 'Anna', '--language', 'en', '--queue', 'support')).code).toBe(0);

    const assigned = await postroom('interaction', 'assign', 'i-cli-1', '--agent', 'anna');
    const search = await postroom('interaction', 'search', 'refund', '--state', 'open');
    const bySender = await postroom('interaction', 'search', 'ADA@customer.test', '--json');
    const rerouted = await postroom('quarantine', 'reroute', 'i-cli-q', '--queue', 'support');
    const refused = await postroom('interaction', 'assign', 'i-cli-1', '--agent', 'anna');

    expect(assigned).toMatchObject({ code: 0, stdout: 'Interaction i-cli-1 is assigned to agent anna.\n' });
    expect(search.code).toBe(0);
    expect(search.stdout).toMatch(/^ID\s+RECEIVED\s+STATE\s+FROM\s+SUBJECT\ni-cli-1 .* claimed .*Refund for order 77\n/);
    expect(search.stdout).toMatch(/Searched by subject from \d{4}-\d\d-\d\d to 2026-11-23/);
    expect(JSON.parse(bySender.stdout).interactions.map((i: any) => i.id)).toEqual(['i-cli-1']);
    expect(rerouted).toMatchObject({ code: 0, stdout: 'Interaction i-cli-q waits in queue support.\n' });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/release it first/);
  });

  it('dry-runs an unsaved flow on a message file', async () => {
    await writeFile(join(dir, 'flow.json'), JSON.stringify({ name: 'Draft', rules: [{ when: [{ field: 'subject', op: 'contains', value: 'refund' }], then: [{ type: 'setPriority', priority: 40 }] }] }));
    await writeFile(join(dir, 'mail.eml'), plainMessage({ subject: 'Refund please', to: 'help@example.test' }, 'I would like my money back for the broken kettle.'));

    const dry = await postroom('flow', 'dry-run', '--file', join(dir, 'flow.json'), '--message', join(dir, 'mail.eml'));
    const both = await postroom('flow', 'dry-run', 'x', '--file', join(dir, 'flow.json'), '--message', join(dir, 'mail.eml'));

    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Flow \(unsaved\) v0: queue support with priority 40\n/);
    expect(dry.stdout).toMatch(/Trail \(nothing was stored or sent\)\n {2}received {2}ses message for help@example\.test\n/);
    expect(both.code).not.toBe(0);
  });
});
