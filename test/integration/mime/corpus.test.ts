import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { S3MessageParser } from '../../../lambdas/adapters/mime/s3-message-parser.ts';
import { QUARANTINE_REASONS, QuarantineError } from '../../../lambdas/core/errors.ts';
import type { ParsedMail } from '../../../lambdas/core/message.ts';
import { corpusFiles, CORPUS_DIR as corpusRoot, describeCorpus } from '../../support/corpus.ts';
import { startLocalS3, type LocalS3 } from './fauxqs-s3.ts';

/** Generous for ~1 MB pathological messages on a loaded CI machine; a hang would take forever. */
const PER_MESSAGE_TIMEOUT_MS = 20_000;

const corpus = corpusFiles().map((f) => f.name);

describeCorpus(`real-world corpus (${corpusRoot}; skipped when absent, fails under CI)`, () => {
  let local: LocalS3;
  let parser: S3MessageParser;
  const parsed = new Map<string, ParsedMail>();

  /** Parses one corpus file through S3, remembering successful results for the fact checks. */
  async function parseCorpusFile(relative: string): Promise<ParsedMail> {
    const key = `raw/${relative}`;
    await local.put(key, readFileSync(path.join(corpusRoot, relative)));
    const mail = await parser.parse({ bucket: local.rawBucket, key }, `parts/${relative}/`);
    parsed.set(relative, mail);
    return mail;
  }

  beforeAll(async () => {
    local = await startLocalS3();
    parser = new S3MessageParser(local.s3, local.partsBucket);
  });
  afterAll(async () => {
    await local?.stop();
  });

  it.each(corpus)('%s parses or is quarantined with a reason code', async (relative) => {
    // Act
    let outcome: 'parsed' | QuarantineError;
    try {
      await parseCorpusFile(relative);
      outcome = 'parsed';
    } catch (err) {
      if (!(err instanceof QuarantineError)) throw err;
      outcome = err;
    }

    // Assess
    if (outcome !== 'parsed') expect(QUARANTINE_REASONS).toContain(outcome.reason);
    else expect(parsed.get(relative)!.stats.bytes).toBe(statSync(path.join(corpusRoot, relative)).size);
  }, PER_MESSAGE_TIMEOUT_MS);

  it('decodes the ISO-2022-JP subject to Japanese text', async () => {
    // Act
    const mail = await parseCorpusFile('mikel-mail/multi_charset/japanese_iso_2022.eml');

    // Assess
    expect(mail.subject).toBe('まみむめも');
  });

  it('finishes the out-of-memory bait and the HTML call-stack bomb', async () => {
    // Act
    const oom = await parseCorpusFile('mailparser/outofmemory.eml');
    const callStack = await parseCorpusFile('mailparser/htmllargecallstack.eml');

    // Assess
    expect(oom.subject).toBe('Cause out of memory error in the mailparser');
    expect(callStack.subject).toBe('Kill the HTML parser');
    expect(callStack.stats.bytes).toBeGreaterThan(500_000);
  }, 2 * PER_MESSAGE_TIMEOUT_MS);

  it('stores the attachments of the MIME torture test and keeps the delivery-status part of a bounce', async () => {
    // Act
    const torture = await parseCorpusFile('postal-mime/mimetorture.eml');
    const bounce = await parseCorpusFile('postal-mime/bounce.eml');

    // Assess
    expect(torture.attachments.length).toBeGreaterThan(5);
    expect(torture.attachments.every((a) => a.blob?.bucket === local.partsBucket)).toBe(true);
    expect(bounce.attachments.map((a) => a.contentType)).toContain('message/delivery-status');
  });

  it('never keeps script in the HTML of the spam sample', async () => {
    // Act
    const spam = await parseCorpusFile('mailparser/spam.eml');

    // Assess
    expect(spam.html ?? '').not.toMatch(/<script|javascript:|\son\w+=/i);
  });
});
