/**
 * `postroom queue add|remove`, `agent add|list|next|remove` and `interaction release|transfer|close`
 * as users run them: a child process against the API served on 127.0.0.1 over dynalite.
 */
import { runPostroom } from '../../support/cli.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoInteractionStore } from '../../../lambdas/adapters/dynamodb/interaction-store.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createTables, waiting, type Tables } from '../dynamodb/fixtures.ts';
import { at } from '../../support/factories.ts';
import { dynamoApiApp, serveApi, type ServedApi } from '../../support/api-app.ts';


const postroom = (...args: string[]) => runPostroom(args);

describe('postroom agent, queue and interaction commands against a served API', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let store: DynamoInteractionStore;
  let server: ServedApi;
  let api: string;

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'cli-acd');
    store = new DynamoInteractionStore(tables.doc, tables.interactions);
    const app = dynamoApiApp(tables, { acd: true });
    server = await serveApi(app);
    api = server.url;
  });
  afterAll(async () => {
    await server?.close();
    tables?.destroy();
    await dynalite?.stop();
  });

  it('creates queues and an agent, claims with next, releases, transfers and closes', async () => {
    // Prepare
    const addQueue = await postroom('--api', api, 'queue', 'add', 'support', '--name', 'Support', '--description', 'first line');
    await postroom('--api', api, 'queue', 'add', 'billing', '--name', 'Billing');
    const addAgent = await postroom('--api', api, 'agent', 'add', 'anna', '--name', 'Anna', '--skill', 'billing', '--language', 'en', 'de', '--queue', 'support', 'billing');
    await store.create(waiting('i-cli-low', { queueId: 'support', enqueuedAt: at(4), priority: 10, subject: 'Where is my order?' }));
    await store.create(waiting('i-cli-high', { queueId: 'billing', enqueuedAt: at(6), priority: 20, subject: 'Urgent: refund' }));

    // Act
    const list = await postroom('--api', api, 'agent', 'list');
    const first = await postroom('--api', api, 'agent', 'next', 'anna');
    const second = await postroom('--api', api, 'agent', 'next', 'anna', '--json');
    const none = await postroom('--api', api, 'agent', 'next', 'anna');
    const released = await postroom('--api', api, 'interaction', 'release', 'i-cli-low', '--agent', 'anna');
    const transferred = await postroom('--api', api, 'interaction', 'transfer', 'i-cli-low', '--queue', 'billing', '--priority', '30');
    const closed = await postroom('--api', api, 'interaction', 'close', 'i-cli-high', '--agent', 'anna');

    // Assess
    expect(addQueue).toMatchObject({ code: 0, stdout: 'Created queue support (Support).\n' });
    expect(addAgent.code).toBe(0);
    expect(list.stdout.trimEnd().split('\n')).toEqual([
      'ID    NAME  SKILLS   LANGUAGES  QUEUES',
      'anna  Anna  billing  en,de      support,billing',
    ]);
    expect(first.stdout).toBe(
      'Claimed i-cli-high from queue billing (priority 20, score 24, waited 4m)\n  From:    Alice Example <alice@customer.test>\n  Subject: Urgent: refund\n',
    );
    expect(JSON.parse(second.stdout).interaction).toMatchObject({ id: 'i-cli-low', state: 'claimed', agentId: 'anna' });
    expect(none).toMatchObject({ code: 0, stdout: 'Nothing waiting for agent anna.\n' });
    expect(released.stdout).toBe('Interaction i-cli-low is waiting in queue support (priority 10, score 16).\n');
    expect(transferred.stdout).toBe('Interaction i-cli-low is waiting in queue billing (priority 30, score 36).\n');
    expect(closed.stdout).toBe('Interaction i-cli-high is closed.\n');
  });

  it('reports refusals in one line: a queue in use or with waiting interactions, a release by the wrong agent', async () => {
    const inUse = await postroom('--api', api, 'queue', 'remove', 'support');
    const wrong = await postroom('--api', api, 'interaction', 'close', 'i-cli-low', '--agent', 'bob');
    await postroom('--api', api, 'agent', 'next', 'anna');
    const agentGone = await postroom('--api', api, 'agent', 'remove', 'anna');
    const busy = await postroom('--api', api, 'queue', 'remove', 'billing');
    await postroom('--api', api, 'queue', 'add', 'empty', '--name', 'Empty');
    const removed = await postroom('--api', api, 'queue', 'remove', 'empty');

    expect(inUse).toMatchObject({
      code: 1,
      stderr: 'postroom: API error 409 conflict: the queue is in use: queue support is in use: agent(s) anna take work from it (id: is in use: agent(s) anna take work from it; change or remove them first)\n',
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^postroom: API error 409 conflict: .*only a claimed interaction can be closed\)\n$/);
    expect(agentGone).toMatchObject({ code: 0, stdout: 'Removed agent anna; released 1 interaction back to its queue.\n' });
    expect(busy).toMatchObject({
      code: 1,
      stderr: 'postroom: API error 409 conflict: the queue still has waiting interactions: queue billing still has 1 waiting interaction(s) (id: has 1 waiting interaction(s); transfer or close them first)\n',
    });
    expect(removed).toMatchObject({ code: 0, stdout: 'Removed queue empty.\n' });
  });
});
