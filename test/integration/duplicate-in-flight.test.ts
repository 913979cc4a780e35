/**
 * Two copies of one mail ingested at the same moment (the same mail polled from two mailboxes, or
 * by SES and a poller): the second copy finds the Message-ID claimed by the first while the first
 * copy's interaction is not written yet. It must retry and join that interaction, never become a
 * second one (found by a new user polling one mailbox through IMAP and POP3 at once). A claim
 * older than DUPLICATE_IN_FLIGHT_MS whose interaction is gone is an admin's deletion: new mail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransientError } from '../../lambdas/core/errors.ts';
import { ingest } from '../../lambdas/core/ingest.ts';
import type { IngestOutcome } from '../../lambdas/core/ingest-ports.ts';
import type { ReceiptInfo } from '../../lambdas/core/message.ts';
import { DUPLICATE_IN_FLIGHT_MS } from '../../lambdas/core/routing/route-message.ts';
import { contentHash, normalizeMessageId } from '../../lambdas/core/routing/threading.ts';
import { plainMessage } from '../support/mail-builder.ts';
import { startIngestPipeline, type IngestPipeline } from './ingest-pipeline.ts';

let pipeline: IngestPipeline;
let stored = 0;

beforeAll(async () => {
  pipeline = await startIngestPipeline('dup-in-flight');
}, 60_000);

afterAll(async () => {
  await pipeline?.stop();
});

/** Ingests like the queue does: a transient error is retried after a pause, at most `attempts` times. */
async function ingestWithRetries(receipt: ReceiptInfo, attempts = 20): Promise<IngestOutcome> {
  for (let i = 1; ; i++) {
    try {
      return await ingest(receipt, pipeline.deps);
    } catch (err) {
      if (!(err instanceof TransientError) || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

async function twoCopies(subject: string): Promise<[ReceiptInfo, ReceiptInfo]> {
  const raw = plainMessage({ subject, messageId: `<${subject.replace(/\W/g, '')}@customer.example>` }, 'Same mail, two ways in.');
  return [await pipeline.store(`copy-a-${++stored}`, raw), await pipeline.store(`copy-b-${stored}`, raw)];
}

describe('a copy of a mail whose first copy is still being ingested', () => {
  it('is retried, not routed as new, while the first copy has claimed the Message-ID but not written its interaction', async () => {
    // Prepare: the first copy has claimed the Message-ID (its interaction is not written yet)
    const [, second] = await twoCopies('Claimed in flight');
    const parsed = await pipeline.deps.parser.parse(second.raw, 'parts/probe/');
    await pipeline.deps.routing.threads.claimMessageId(normalizeMessageId(parsed.messageId)!, contentHash({ ...second, ...parsed }), 'i-first', new Date(), 'i-first');

    // Act
    const attempt = ingest(second, pipeline.deps);

    // Assess
    await expect(attempt).rejects.toMatchObject({ code: 'duplicate-in-flight' });
  });

  it('routes as new mail once the claim is older than the in-flight window (the first interaction was deleted)', async () => {
    const [, second] = await twoCopies('Claimed long ago');
    const parsed = await pipeline.deps.parser.parse(second.raw, 'parts/probe2/');
    const claimedAt = new Date(Date.now() - DUPLICATE_IN_FLIGHT_MS - 60_000);
    await pipeline.deps.routing.threads.claimMessageId(normalizeMessageId(parsed.messageId)!, contentHash({ ...second, ...parsed }), 'i-deleted', claimedAt, 'i-deleted');

    const outcome = await ingest(second, pipeline.deps);

    expect(outcome).toMatchObject({ outcome: 'queued' });
  });

  it('makes one interaction of two copies ingested at the same moment, every time', async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = await twoCopies(`Concurrent ${round}`);

      const outcomes = await Promise.all([ingestWithRetries(a), ingestWithRetries(b)]);

      expect(outcomes.map((o) => o.outcome).sort()).toEqual(['attached', 'queued']);
      expect(new Set(outcomes.map((o) => o.interactionId)).size).toBe(1);
    }
  });
});
