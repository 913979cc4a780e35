/**
 * Every message of ../shared/corpus through parse -> InboundMessage -> ingest, on real local
 * servers (fauxqs S3, dynalite): each ends queued or quarantined with a reason code, none crashes,
 * and a redelivery of any of them is a duplicate, never a second interaction.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUARANTINE_REASONS } from '../../lambdas/core/errors.ts';
import { ingest } from '../../lambdas/core/ingest.ts';
import { corpusFiles, CORPUS_DIR, describeCorpus } from '../support/corpus.ts';
import { startIngestPipeline, type IngestPipeline } from './ingest-pipeline.ts';
import type { IngestDeps, IngestOutcome } from '../../lambdas/core/ingest-ports.ts';

const files = corpusFiles();
let pipeline: IngestPipeline;
let deps: IngestDeps;
const outcomes = new Map<string, IngestOutcome>();

beforeAll(async () => {
  pipeline = await startIngestPipeline('corpus');
  deps = pipeline.deps;
});

afterAll(async () => {
  await pipeline?.stop();
});

function summarize(all: IngestOutcome[]) {
  const summary = { queued: 0, attached: 0, quarantined: 0, spam: 0, loop: 0, disconnected: 0 };
  for (const o of all) {
    if (o.outcome === 'set-aside') summary.loop++;
    else if (o.outcome === 'disconnected') summary[o.reason === 'spam' ? 'spam' : 'disconnected']++;
    else if (o.outcome !== 'duplicate') summary[o.outcome]++;
  }
  return summary;
}

describeCorpus(`corpus ingest (${CORPUS_DIR})`, () => {
  it.each(files.map((f, i) => [f.name, f.path, i] as const))('%s ends in one outcome, with a reason where it is not queued', async (_name, path, index) => {
    // Prepare
    const receipt = await pipeline.store(`corpus${index}`, await readFile(path));

    // Act
    const outcome = await ingest(receipt, deps);
    const again = await ingest(receipt, deps);

    // Assess
    outcomes.set(_name, outcome);
    expect(again.outcome).toBe('duplicate');
    switch (outcome.outcome) {
      case 'quarantined':
        expect(QUARANTINE_REASONS).toContain(outcome.reason);
        expect((await deps.interactions.get(outcome.interactionId))?.state).toBe('quarantined');
        break;
      case 'queued':
        expect(outcome.queueId).toBe('default');
        expect((await deps.interactions.get(outcome.interactionId))?.state).toBe('waiting');
        break;
      case 'disconnected':
      case 'set-aside': {
        const stored = await deps.interactions.get(outcome.interactionId);
        expect(stored?.state).toBe(outcome.outcome);
        expect(stored?.disposition?.reason).toBe(outcome.reason);
        break;
      }
      case 'attached':
        // a corpus message that replies to, or duplicates, an earlier one joins it
        expect(await deps.interactions.get(outcome.interactionId)).toBeDefined();
        break;
      default:
        throw new Error(`unexpected outcome ${JSON.stringify(outcome)}`);
    }
  });

  it('routes every message to one outcome and sets automatic mail aside', () => {
    const summary = summarize([...outcomes.values()]);
    // One line for the "summary of outcomes": queued / quarantined / spam / loop / disconnected.
    console.info(`corpus outcomes: ${JSON.stringify(summary)}`);
    expect(outcomes.size).toBe(files.length);
    expect(Object.values(summary).reduce((a, b) => a + b, 0)).toBe(files.length);
    expect(summary.queued / files.length).toBeGreaterThan(0.6);
    expect(summary.loop).toBeGreaterThan(5); // the corpus holds bounces, DSNs and an ARF report
    const bounce = outcomes.get('postal-mime/bounce.eml');
    expect(bounce).toMatchObject({ outcome: 'set-aside', reason: 'bounce' });
  });
});

describe('ingest without a served recipient', () => {
  it('quarantines with no-served-recipient and keeps the parsed subject', async () => {
    const receipt = await pipeline.store('unserved', 'From: a@b.example\r\nSubject: Hi\r\n\r\nbody\r\n', { recipients: ['x@elsewhere.example'] });

    const outcome = await ingest(receipt, deps);

    expect(outcome).toMatchObject({ outcome: 'quarantined', reason: 'no-served-recipient' });
    const stored = await deps.interactions.get(outcome.interactionId);
    expect(stored?.message.subject).toBe('Hi');
    expect(stored?.quarantine?.detail).toContain('x@elsewhere.example');
  });
});
