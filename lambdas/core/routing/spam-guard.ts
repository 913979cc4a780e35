/**
 * The spam and virus guard: what happens to mail SES (or a mailbox provider) judged to be spam or
 * infected, given the spam routing of the address it was sent to (model.ts `SpamRouting`).
 */
import type { Verdicts } from '../message.ts';
import type { SpamRouting } from './model.ts';

/** Tag put on mail that looked like spam but went on as normal mail (no spam routing configured). */
export const SUSPECTED_SPAM_TAG = 'suspected-spam';
/** Tag put on mail whose virus scan did not complete: agents should open its attachments with care. */
export const VIRUS_UNSCANNED_TAG = 'virus-unscanned';

/**
 * - `{ disconnect }`: recorded but never offered to agents (virus always; spam when so configured)
 * - `{ flow }`: spam that the address's spam flow decides on
 * - `{ continue }`: routed as normal mail, possibly with tags
 */
export type SpamDecision =
  | { readonly disconnect: 'virus' | 'spam'; readonly explanation: string }
  | { readonly flow: string; readonly explanation: string }
  | { readonly continue: true; readonly tags: readonly string[]; readonly explanation: string };

/** The facts the guard reads. */
export interface SpamFacts {
  readonly verdicts: Pick<Verdicts, 'spam' | 'virus'>;
  /** Lower-cased header names, as ParsedMail carries them. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Decides on one message. A virus FAIL disconnects, whatever the address says: infected mail must
 * not reach an agent's screen. Spam is a SES spam FAIL, `X-Spam-Flag: YES` or `X-Spam-Status: Yes,
 * ...` (SpamAssassin-style headers, as mailbox providers add them on mail we poll); it follows the
 * address's spam routing: its flow, or disconnect. Without spam routing, spam goes on as normal
 * mail tagged {@link SUSPECTED_SPAM_TAG}: the admin chose not to filter, and a false positive then
 * still reaches a person. Why headers only count toward "spam": a sender who forges "not spam"
 * headers gains nothing, as SES's own verdict is read as well.
 */
export function spamDecision(facts: SpamFacts, spamRouting: SpamRouting | undefined): SpamDecision {
  if (facts.verdicts.virus === 'FAIL') return { disconnect: 'virus', explanation: 'virus scan FAIL: disconnected' };
  const signals = spamSignals(facts);
  const tags = facts.verdicts.virus === 'PROCESSING_FAILED' ? [VIRUS_UNSCANNED_TAG] : [];
  const unscanned = tags.length > 0 ? '; the virus scan did not complete' : '';
  if (signals.length === 0) return { continue: true, tags, explanation: `not spam${unscanned}` };
  const why = signals.join(', ');
  if (spamRouting?.kind === 'flow') return { flow: spamRouting.flowId, explanation: `spam (${why}): to spam flow ${spamRouting.flowId}${unscanned}` };
  if (spamRouting?.kind === 'disconnect') return { disconnect: 'spam', explanation: `spam (${why}): disconnected by the address's spam routing` };
  return {
    continue: true,
    tags: [SUSPECTED_SPAM_TAG, ...tags],
    explanation: `suspected spam (${why}) routed as normal mail: the address has no spam routing${unscanned}`,
  };
}

/** The spam signals of a message, each as the trail shows it; empty when none. */
export function spamSignals(facts: SpamFacts): string[] {
  const signals: string[] = [];
  if (facts.verdicts.spam === 'FAIL') signals.push('SES spam verdict FAIL');
  const flag = (facts.headers['x-spam-flag'] ?? '').trim();
  if (/^yes\b/i.test(flag)) signals.push('X-Spam-Flag: YES');
  const status = (facts.headers['x-spam-status'] ?? '').trim();
  if (/^yes\b/i.test(status)) signals.push(`X-Spam-Status: ${status.length > 60 ? `${status.slice(0, 60)}...` : status}`);
  return signals;
}
