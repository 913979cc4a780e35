/**
 * `postroom address ...`, `postroom flow ...` and `postroom template ...` as users run them: a
 * child process against the API app served on 127.0.0.1 over real stores on dynalite.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPostroom } from '../../support/cli.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoQueueStore } from '../../../lambdas/adapters/dynamodb/queue-store.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { queue } from '../../support/factories.ts';
import { dynamoApiApp, serveApi, type ServedApi } from '../../support/api-app.ts';


describe('postroom address and flow commands against a served API', () => {
  let dynalite: Dynalite;
  let tables: Tables;
  let server: ServedApi;
  let api: string;
  let dir: string;

  const postroom = (...args: string[]) => runPostroom(['--api', api, ...args], { cwd: dir });

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'config-cli');
    await new DynamoQueueStore(tables.doc, tables.queues, tables.interactions).ensure(queue('billing', { name: 'Billing' }));
    const app = dynamoApiApp(tables, { domains: ['support.example.com'] });
    server = await serveApi(app);
    api = server.url;
    dir = await mkdtemp(join(tmpdir(), 'postroom-flow-'));
  });
  afterAll(async () => {
    await server?.close();
    tables?.destroy();
    await dynalite?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('flow put stores versions from a file; show, versions and list read them back', async () => {
    const flow = { name: 'Triage', rules: [{ name: 'refunds', when: [{ field: 'subject', op: 'contains', value: 'refund' }], then: [{ type: 'setQueue', queueId: 'billing' }] }] };
    await writeFile(join(dir, 'flow.json'), JSON.stringify(flow));
    const first = await postroom('flow', 'put', 'triage', '--file', 'flow.json');
    await writeFile(join(dir, 'flow.json'), JSON.stringify({ ...flow, name: 'Triage 2' }));
    const second = await postroom('flow', 'put', 'triage', '--file', 'flow.json');
    expect([first.code, first.stdout, second.stdout]).toEqual([0, 'Stored flow triage version 1 (1 rules).\n', 'Stored flow triage version 2 (1 rules).\n']);

    const shown = await postroom('flow', 'show', 'triage', '--version', '1');
    expect(shown.stdout.split('\n').slice(0, 4)).toEqual(['Flow triage version 1: Triage', '  Created: 2026-11-23T09:10:00.000Z', '  1. refunds', '     when subject contains "refund"']);
    const versions = await postroom('flow', 'versions', 'triage');
    expect(versions.stdout.trimEnd().split('\n').map((l) => l.split(/\s{2,}/).slice(0, 3))).toEqual([['VERSION', 'NAME', 'RULES'], ['1', 'Triage', '1'], ['2', 'Triage 2', '1']]);
    const list = JSON.parse((await postroom('flow', 'list', '--json')).stdout);
    expect(list.flows.map((f: any) => [f.id, f.version])).toEqual([['triage', 2]]);
  });

  it('flow put reports field errors of an invalid flow in one line', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ name: 'Bad', rules: [{ when: [], then: [{ type: 'setQueue', queueId: 'nope' }] }] }));
    const run = await postroom('flow', 'put', 'bad', '--file', 'bad.json');
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toBe('postroom: API error 400 validation: the request is invalid (rules[0].then[0].queueId: no such queue: queue nope does not exist)\n');
    expect((await postroom('flow', 'put', 'bad', '--file', 'missing.json')).stderr).toMatch(/^postroom: cannot read .*missing\.json: ENOENT\n$/);
  });

  it('address add, update, show, list and remove', async () => {
    const add = await postroom('address', 'add', 'help@support.example.com', '--from-name', 'Support', '--queue', 'billing', '--skill', 'billing', '--language', 'ja', '--priority', '10', '--bcc', 'audit@example.test', '--spam-disconnect');
    expect(add.code).toBe(0);
    expect(add.stdout).toContain('Routing:   queue billing (skills billing, language ja, priority 10)');
    const update = await postroom('address', 'update', 'help@support.example.com', '--flow', 'triage', '--spam-flow', 'triage', '--json');
    expect(JSON.parse(update.stdout).address).toMatchObject({ fromName: 'Support', bcc: ['audit@example.test'], routing: { kind: 'flow', flowId: 'triage' }, spamRouting: { kind: 'flow', flowId: 'triage' } });
    expect((await postroom('address', 'show', 'help@support.example.com')).stdout).toContain('Spam:      flow triage');
    expect((await postroom('address', 'list')).stdout).toMatch(/^ADDRESS +FROM +ROUTING +SPAM\nhelp@support\.example\.com +Support <help@support\.example\.com> +flow triage +flow triage\n$/);
    const inUse = await postroom('flow', 'remove', 'triage');
    expect(inUse.stderr).toBe('postroom: API error 409 flow-in-use: the flow is in use: flow triage is in use by address help@support.example.com\n');
    expect((await postroom('address', 'remove', 'help@support.example.com')).stdout).toBe('Removed help@support.example.com.\n');
    expect((await postroom('flow', 'remove', 'triage')).stdout).toBe('Removed flow triage.\n');
  });

  it('reports field errors, duplicates and usage errors', async () => {
    const bad = await postroom('address', 'add', 'x@elsewhere.test', '--from-name', 'X', '--no-routing');
    expect(bad.stderr).toBe("postroom: API error 400 validation: the request is invalid (address: not on a domain this deployment serves: must be on one of the organisation's domains (support.example.com))\n");
    await postroom('address', 'add', 'out@support.example.com', '--from-name', 'Out', '--no-routing');
    expect((await postroom('address', 'add', 'out@support.example.com', '--from-name', 'Out', '--no-routing')).stderr).toMatch(/^postroom: API error 409 conflict/);
    expect((await postroom('address', 'add', 'y@support.example.com', '--from-name', 'Y', '--queue', 'billing', '--flow', 'f')).stderr).toBe('postroom: use one of --queue, --flow or --no-routing\n');
  });

  it('template put from a body file, list, show, and remove', async () => {
    await writeFile(join(dir, 'ack.txt'), 'Hello {{from.name}},\n\nwe have your message.\n');
    const put = await postroom('template', 'put', 'ack-en', '--name', 'English', '--subject', 'Got it: {{subject}}', '--body-file', 'ack.txt');
    expect([put.code, put.stdout]).toEqual([0, 'Stored template ack-en.\n']);
    const shown = await postroom('template', 'show', 'ack-en');
    expect(shown.stdout).toBe('Template ack-en: English\n  Updated: 2026-11-23T09:10:00.000Z\n  Subject: Got it: {{subject}}\n\nHello {{from.name}},\n\nwe have your message.\n\n');
    expect((await postroom('template', 'list')).stdout).toMatch(/^ID +NAME +SUBJECT +UPDATED\nack-en +English +Got it: \{\{subject\}\} +2026-11-23T09:10:00\.000Z\n$/);
    const bad = await postroom('template', 'put', 'ack-xx', '--name', 'X', '--subject', 'Hi {{ticket}}', '--body', 'Hello');
    expect(bad.stderr).toBe('postroom: API error 400 validation: the request is invalid (subject: unknown placeholder {{ticket}})\n');
    expect((await postroom('template', 'put', 'ack-xx', '--name', 'X', '--subject', 'Hi')).stderr).toBe('postroom: give exactly one of --body and --body-file\n');
    expect((await postroom('template', 'remove', 'ack-en')).stdout).toBe('Removed template ack-en.\n');
    expect((await postroom('template', 'show', 'ack-en')).stderr).toMatch(/^postroom: API error 404 not-found/);
  });
});
