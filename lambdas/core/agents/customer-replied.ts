/**
 * "The customer replied" (issue 12's workspace signal), derived from what the interaction itself
 * records, so every browser and every supervisor sees the same: the customer wrote after the
 * agent's latest move on it, that is after the latest reply sent from it or, when nothing was sent
 * since, after the claim. The trail is the record: it is appended in the order things happened (a
 * customer's mail joins with `attached`, a sent message with its outbox purpose, a claim with
 * `claimed` or `assigned`), and its newest entries are always kept (item-bounds.ts).
 */
import type { Interaction } from '../interaction.ts';
import { TRAIL_CUT_STEP } from '../item-bounds.ts';

/** The trail step of a further customer message joining its interaction (routing's decide-route). */
export const CUSTOMER_MESSAGE_STEP = 'attached';

/** Trail steps of what an agent sent from the interaction (submit-send: the outbox purpose). */
export const AGENT_SENT_STEPS: ReadonlySet<string> = new Set(['reply', 'reply-all', 'forward', 'new']);

/** Trail steps that hand the interaction to an agent: what arrived before was seen with it. */
export const CLAIM_STEPS: ReadonlySet<string> = new Set(['claimed', 'assigned']);

/**
 * True when interaction `i` is claimed and its newest trail entry among customer messages, agent
 * sends and claims is a customer message. False for any other state (the signal is about held
 * work), and when the trail names none of these. When the trail was cut (item-bounds.ts) before
 * any of them shows, the cut part decides and is gone: then any message since the claim counts
 * (`lastMessageAt` after `claimedAt`), as the direction of that message is no longer known.
 */
export function customerReplied(i: Pick<Interaction, 'state' | 'trail' | 'claimedAt' | 'lastMessageAt'>): boolean {
  if (i.state !== 'claimed') return false;
  for (let n = i.trail.length - 1; n >= 0; n--) {
    const step = i.trail[n]!.step;
    if (step === CUSTOMER_MESSAGE_STEP) return true;
    if (AGENT_SENT_STEPS.has(step) || CLAIM_STEPS.has(step)) return false;
    if (step === TRAIL_CUT_STEP) return i.lastMessageAt !== undefined && i.claimedAt !== undefined && i.lastMessageAt > i.claimedAt;
  }
  return false;
}
