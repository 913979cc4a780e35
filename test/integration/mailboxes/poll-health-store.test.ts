/**
 * Poll health through the registry's DynamoDB store on dynalite: failures in a row back off and
 * announce once, a recovery clears the backoff (setHealth writes given fields only, so a health
 * update must name nextPollAt to remove it), and an admin's edit meanwhile is not undone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailConnectionError, type CredentialSource } from '../../../lambdas/core/mailboxes/connection.ts';
import type { PollJob } from '../../../lambdas/core/mailboxes/dispatch.ts';
import { FAILING_THRESHOLD, type MailServerEvent } from '../../../lambdas/core/mailboxes/poll-health.ts';
import { runPollJob, type PollFunction } from '../../../lambdas/core/mailboxes/poll-job.ts';
import { DynamoMailServerStore } from '../../../lambdas/adapters/dynamodb/mail-server-store.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { mailServerRecord } from '../../support/mail-servers.ts';

let dynalite: Dynalite;
let tables: Tables;
beforeAll(async () => {
  dynalite = await startDynalite();
  tables = await createTables(dynalite.endpoint, 'poll-health');
});
afterAll(async () => {
  tables?.destroy();
  await dynalite?.stop();
});

const credentials: CredentialSource = { credentialsFor: async (s) => ({ kind: 'password', user: s.user, password: 'pw' }) };

describe('poll health in the mail server store', () => {
  it('backs off after failures, announces once, and clears the backoff on recovery without undoing an edit', async () => {
    const store = new DynamoMailServerStore(tables.doc, tables.config);
    const server = mailServerRecord({ id: 'srv-health' });
    expect(await store.create(server)).toBe('created');
    const events: MailServerEvent[] = [];
    let failing = true;
    const poll: PollFunction = async () => {
      if (failing) throw new MailConnectionError('tcp', 'imap.example.com refused the connection on port 993');
      return { fetched: 1, backlog: 0, drained: true };
    };
    const t0 = Date.parse('2026-11-26T21:00:00.000Z');
    let minute = 0;
    const deps = { servers: store, credentials, poll, events: { publish: async (e: readonly MailServerEvent[]) => void events.push(...e) }, now: () => new Date(t0 + minute * 60_000) };
    // Admin-saved jobs poll regardless of the backoff, so each one reaches the server.
    const job = (): PollJob => ({ serverId: server.id, slotAt: new Date(t0 + minute * 60_000).toISOString(), cause: 'saved' });
    for (; minute < FAILING_THRESHOLD + 1; minute += 1) await runPollJob(job(), new Date(Date.now() + 5_000), deps);
    const failed = (await store.get(server.id))!;
    expect(failed).toMatchObject({ state: 'error', lastErrorReason: 'tcp', consecutiveFailures: FAILING_THRESHOLD + 1 });
    expect(failed.nextPollAt).toBeDefined();
    expect(events.map((e) => e.kind)).toEqual(['failing']);

    const edited = { ...failed, description: 'edited while failing', updatedAt: '2026-11-26T21:10:00.000Z' };
    expect(await store.update(edited, failed.updatedAt)).toBe('updated');
    failing = false;
    await runPollJob(job(), new Date(Date.now() + 5_000), deps);
    const recovered = (await store.get(server.id))!;
    expect(recovered).toMatchObject({ state: 'ok', consecutiveFailures: 0, messagesFetched: 1, description: 'edited while failing' });
    expect(recovered.nextPollAt).toBeUndefined();
    expect(events.map((e) => e.kind)).toEqual(['failing', 'recovered']);
  });
});
