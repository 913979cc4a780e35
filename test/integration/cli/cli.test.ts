/**
 * The `postroom` CLI as users run it: a child process (`node bin/postroom.mjs`) against the API app
 * served on 127.0.0.1 over real stores on dynalite.
 */
import { runPostroom } from '../../support/cli.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoInteractionStore } from '../../../lambdas/adapters/dynamodb/interaction-store.ts';
import { DynamoQueueStore } from '../../../lambdas/adapters/dynamodb/queue-store.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createTables, quarantined, waiting, type Tables } from '../dynamodb/fixtures.ts';
import { at, queue } from '../../support/factories.ts';
import { dynamoApiApp, serveApi, type ServedApi } from '../../support/api-app.ts';


const postroom = (...args: string[]) => runPostroom(args);

describe('postroom CLI against a served API', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let server: ServedApi;
  let api: string;

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'cli');
    const interactions = new DynamoInteractionStore(tables.doc, tables.interactions);
    const queues = new DynamoQueueStore(tables.doc, tables.queues, tables.interactions);
    await queues.ensure(queue('default', { name: 'Default' }));
    await queues.ensure(queue('billing', { name: 'Billing' }));
    await interactions.create(waiting('i-low', { enqueuedAt: at(4), priority: 10, subject: 'Where is my order?' }));
    await interactions.create(waiting('i-high', { enqueuedAt: at(6), priority: 20, subject: 'Urgent: refund\u001b[31m now' }));
    await interactions.create(quarantined('i-bad', at(8)));
    const app = dynamoApiApp(tables);
    server = await serveApi(app);
    api = server.url;
  });
  afterAll(async () => {
    await server?.close();
    tables?.destroy();
    await dynalite?.stop();
  });

  it('queue list --json prints the API JSON of every queue, in score order', async () => {
    const run = await postroom('--api', api, 'queue', 'list', '--json');
    expect(run.code).toBe(0);
    const body = JSON.parse(run.stdout);
    expect(body.queues.map((q: any) => q.queueId)).toEqual(['billing', 'default']);
    expect(body.queues[0].interactions).toEqual([]);
    expect(body.queues[1].interactions.map((i: any) => [i.id, i.ageMinutes, i.priority, i.score])).toEqual([
      ['i-high', 4, 20, 24],
      ['i-low', 6, 10, 16],
    ]);
  });

  it('queue list prints a table with sender, subject, age, priority and live score', async () => {
    const run = await postroom('--api', api, 'queue', 'list', '--queue', 'default');
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      'QUEUE    ID      FROM                                 SUBJECT                  AGE  PRIORITY  SCORE',
      'default  i-high  Alice Example <alice@customer.test>  Urgent: refund [31m now  4m   20        24',
      'default  i-low   Alice Example <alice@customer.test>  Where is my order?       6m   10        16',
    ]);
    expect(run.stdout).not.toContain('\u001b');
  });

  it('interaction show prints headers, verdicts, attachments, state and trail', async () => {
    const run = await postroom('--api', api, 'interaction', 'show', 'i-high');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Interaction i-high (waiting)');
    expect(run.stdout).toContain('Queue:        default (priority 20, score 24, waiting 4m)');
    expect(run.stdout).toContain('From:         Alice Example <alice@customer.test>');
    expect(run.stdout).toContain('spam PASS  virus PASS  spf PASS  dkim PASS  dmarc PASS');
    expect(run.stdout).toContain('invoice.pdf  application/pdf  1.2 KB');
    expect(run.stdout).toMatch(/Trail\n {2}2026-11-23T09:06:00.000Z {2}received .*\n {2}2026-11-23T09:06:00.000Z {2}queued/);
  });

  it('quarantine list prints the reason of each quarantined interaction', async () => {
    const run = await postroom('--api', api, 'quarantine', 'list');
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      'ID     RECEIVED                  FROM                              SUBJECT       REASON',
      'i-bad  2026-11-23T09:08:00.000Z  Alice Example <mallory@bad.test>  (no subject)  unparseable',
    ]);
  });

  it('reports API errors in one line with exit code 1 and no stack trace', async () => {
    const missing = await postroom('--api', api, 'interaction', 'show', 'i-nope');
    const badId = await postroom('--api', api, 'queue', 'list', '--queue', 'no/such queue');
    expect(missing).toMatchObject({ code: 1, stdout: '', stderr: 'postroom: API error 404 not-found: no such interaction: interaction i-nope not found\n' });
    expect(badId.code).toBe(1);
    expect(badId.stderr).toMatch(/^postroom: API error (400 validation|404 not-found): .*\n$/);
    expect(missing.stderr + badId.stderr).not.toMatch(/\n\s+at /);
  });

  it('says which URL it could not reach', async () => {
    // Prepare: a port that was just free, so nothing listens on it
    const stopped = await startDynalite();
    await stopped.stop();

    const run = await postroom('--api', stopped.endpoint, 'quarantine', 'list');

    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`postroom: cannot reach the Postroom API at ${stopped.endpoint} (from --api): ECONNREFUSED\n`);
  });
});
