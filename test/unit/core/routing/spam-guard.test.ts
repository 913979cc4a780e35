import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { VerdictStatus } from '../../../../lambdas/core/message.ts';
import type { SpamRouting } from '../../../../lambdas/core/routing/model.ts';
import { SUSPECTED_SPAM_TAG, VIRUS_UNSCANNED_TAG, spamDecision, type SpamFacts } from '../../../../lambdas/core/routing/spam-guard.ts';
import { CORPUS_DIR, describeCorpus } from '../../../support/corpus.ts';
import { parseRaw } from '../../adapters/mime/mail-fixtures.ts';

const facts = (spam: VerdictStatus, virus: VerdictStatus, headers: Record<string, string> = {}): SpamFacts => ({ verdicts: { spam, virus }, headers });
const toFlow: SpamRouting = { kind: 'flow', flowId: 'flow-spam' };
const disconnect: SpamRouting = { kind: 'disconnect' };

describe('spamDecision', () => {
  it('lets clean mail through untagged', () => {
    expect(spamDecision(facts('PASS', 'PASS'), toFlow)).toEqual({ continue: true, tags: [], explanation: 'not spam' });
  });

  it.each([undefined, toFlow, disconnect])('disconnects a virus whatever the spam routing (%j)', (routing) => {
    expect(spamDecision(facts('PASS', 'FAIL'), routing)).toEqual({ disconnect: 'virus', explanation: 'virus scan FAIL: disconnected' });
  });

  it('sends spam to the address spam flow', () => {
    expect(spamDecision(facts('FAIL', 'PASS'), toFlow)).toEqual({ flow: 'flow-spam', explanation: 'spam (SES spam verdict FAIL): to spam flow flow-spam' });
  });

  it('disconnects spam when the address says so', () => {
    expect(spamDecision(facts('FAIL', 'PASS'), disconnect)).toEqual({ disconnect: 'spam', explanation: "spam (SES spam verdict FAIL): disconnected by the address's spam routing" });
  });

  it('routes spam as normal mail tagged suspected-spam when no spam routing is configured', () => {
    const decision = spamDecision(facts('FAIL', 'PASS'), undefined);
    expect(decision).toEqual({
      continue: true,
      tags: [SUSPECTED_SPAM_TAG],
      explanation: 'suspected spam (SES spam verdict FAIL) routed as normal mail: the address has no spam routing',
    });
  });

  it.each<[Record<string, string>, string]>([
    [{ 'x-spam-flag': 'YES' }, 'X-Spam-Flag: YES'],
    [{ 'x-spam-flag': 'yes' }, 'X-Spam-Flag: YES'],
    [{ 'x-spam-status': 'Yes, score=9.1 required=5.0 tests=BAYES_99' }, 'X-Spam-Status: Yes, score=9.1 required=5.0 tests=BAYES_99'],
  ])('a provider header %j counts as spam', (headers, signal) => {
    expect(spamDecision(facts('PASS', 'PASS', headers), toFlow)).toEqual({ flow: 'flow-spam', explanation: `spam (${signal}): to spam flow flow-spam` });
  });

  it.each<Record<string, string>>([{ 'x-spam-flag': 'NO' }, { 'x-spam-status': 'No, score=-1.1 required=5.0' }, { 'x-spam-status': 'Yesterday' }])('%j is not spam', (headers) => {
    expect(spamDecision(facts('GRAY', 'PASS', headers), toFlow)).toMatchObject({ continue: true, tags: [] });
  });

  it('tags mail whose virus scan did not complete', () => {
    expect(spamDecision(facts('PASS', 'PROCESSING_FAILED'), undefined)).toEqual({
      continue: true,
      tags: [VIRUS_UNSCANNED_TAG],
      explanation: 'not spam; the virus scan did not complete',
    });
  });
});

describeCorpus('spamDecision on the real corpus', () => {
  it.each([
    ['mikel-mail/plain_emails/raw_email_bad_time.eml', 'flow'],
    ['mikel-mail/error_emails/empty_group_lists.eml', 'flow'],
    ['mikel-mail/error_emails/trademark_character_in_subject.eml', 'continue'],
    ['mikel-mail/plain_emails/basic_email.eml', 'continue'],
  ])('%s -> %s', async (name, expected) => {
    const { mail } = await parseRaw(await readFile(join(CORPUS_DIR, name)));
    const decision = spamDecision({ verdicts: { spam: 'PASS', virus: 'PASS' }, headers: mail.headers }, toFlow);
    expect(expected in decision).toBe(true);
  });
});
