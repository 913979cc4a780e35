/**
 * Served domains are data, end to end through the routing Lambda's wiring (ingestDeps: the domain
 * store on dynalite, S3 on fauxqs): a domain stored while it runs (in no environment variable or
 * list) has its mail routed within the cache's window, and mail for a removed domain is disposed
 * of with the existing "not served" reason once the window has passed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_CACHE_TTL_MS } from '../../lambdas/adapters/config/routing-config-source.ts';
import { CachedServedDomains, MISSED_DOMAIN_REFRESH_MS } from '../../lambdas/adapters/config/served-domains.ts';
import { ingest } from '../../lambdas/core/ingest.ts';
import { domainRecord } from '../support/factories.ts';
import { plainMessage } from '../support/mail-builder.ts';
import { SERVED_DOMAIN, startIngestPipeline, type IngestPipeline } from './ingest-pipeline.ts';

let pipeline: IngestPipeline;
/** The served-domain cache's clock, moved by the tests. */
let now = 1_000_000;
let sent = 0;

/** Stores a message for `recipient` and ingests it. */
async function mailTo(recipient: string, subject: string) {
  const receipt = await pipeline.store(`served${++sent}`, plainMessage({ subject, to: recipient }, 'hello'), { recipients: [recipient] });
  return ingest(receipt, pipeline.deps);
}

beforeAll(async () => {
  pipeline = await startIngestPipeline('served-ingest', { servedDomains: (store) => new CachedServedDomains(store, { clock: () => now }) });
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
});

describe('served domains through ingest', () => {
  it('routes mail for a domain added to the store within the window, with no redeploy', async () => {
    // Prepare: mail for the stored domain is routed (so the list is cached), then an admin adds one
    expect(await mailTo(`help@${SERVED_DOMAIN}`, 'Before')).toMatchObject({ outcome: 'queued' });
    await pipeline.domains.create(domainRecord('added.example.test'));

    // Act: mail for it arrives once the list is MISSED_DOMAIN_REFRESH_MS old (long before the TTL)
    now += MISSED_DOMAIN_REFRESH_MS;
    const outcome = await mailTo('help@added.example.test', 'To the added domain');

    // Assess
    expect(outcome).toMatchObject({ outcome: 'queued', queueId: 'default' });
  });

  it('disposes of mail for a removed domain as not served once the cache window has passed', async () => {
    // Prepare: a domain that receives mail, then is removed
    await pipeline.domains.create(domainRecord('leaving.example.test'));
    now += CONFIG_CACHE_TTL_MS;
    expect(await mailTo('help@leaving.example.test', 'While served')).toMatchObject({ outcome: 'queued' });
    await pipeline.domains.delete('leaving.example.test');

    // Act
    const inWindow = await mailTo('help@leaving.example.test', 'In flight');
    now += CONFIG_CACHE_TTL_MS;
    const after = await mailTo('help@leaving.example.test', 'After removal');

    // Assess: in-flight mail within the window is still routed; after it, "not served"
    expect(inWindow).toMatchObject({ outcome: 'queued' });
    expect(after).toMatchObject({ outcome: 'quarantined', reason: 'no-served-recipient' });
    const stored = await pipeline.deps.interactions.get(after.interactionId);
    expect(stored?.quarantine?.detail).toBe(`none of help@leaving.example.test is on added.example.test, ${SERVED_DOMAIN}`);
  });
});
