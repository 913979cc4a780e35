/**
 * The "customer replied" signal (lambdas/core/agents/customer-replied.ts): the customer wrote after
 * the agent's latest reply, or after the claim when nothing was sent since; trails as routing,
 * the ACD and the outbox write them.
 */
import { describe, expect, it } from 'vitest';
import { customerReplied } from '../../../../lambdas/core/agents/customer-replied.ts';
import { claimTransition } from '../../../../lambdas/core/agents/transitions.ts';
import type { TrailEntry } from '../../../../lambdas/core/interaction.ts';
import { boundTrail } from '../../../../lambdas/core/item-bounds.ts';
import { at } from '../../../support/factories.ts';

const anna = { id: 'anna', name: 'Anna', skills: [], languages: ['de'], queues: ['support'], createdAt: at(0).toISOString() };
const entry = (minute: number, step: string): TrailEntry => ({ at: at(minute).toISOString(), step, detail: step });
const arrived = [entry(0, 'received'), entry(0, 'address'), entry(0, 'queued'), entry(0, 'auto-ack')];
const claimed = claimTransition(anna, 'support', at(5)).trail;
const customerWrote = (minute: number) => [entry(minute, 'received'), entry(minute, 'attached')];

describe('customerReplied', () => {
  it('is false right after the claim, even when a copy of the first mail joined before it', () => {
    expect(customerReplied({ state: 'claimed', trail: [...arrived, ...customerWrote(1), claimed] })).toBe(false);
  });

  it('is true when the customer wrote after the claim and nothing was sent', () => {
    expect(customerReplied({ state: 'claimed', trail: [...arrived, claimed, ...customerWrote(7)] })).toBe(true);
  });

  it('is false once the agent replied after the customer, true again when the customer answers that reply', () => {
    const replied = [...arrived, claimed, ...customerWrote(7), entry(8, 'reply')];
    expect(customerReplied({ state: 'claimed', trail: replied })).toBe(false);
    expect(customerReplied({ state: 'claimed', trail: [...replied, ...customerWrote(9)] })).toBe(true);
    expect(customerReplied({ state: 'claimed', trail: [...replied, ...customerWrote(9), entry(10, 'reply-all')] })).toBe(false);
  });

  it('is false after a re-claim or an assignment (the new holder sees what came before)', () => {
    const waitedAgain = [...arrived, claimed, ...customerWrote(7), entry(8, 'released')];
    expect(customerReplied({ state: 'claimed', trail: [...waitedAgain, claimTransition(anna, 'support', at(9)).trail] })).toBe(false);
    expect(customerReplied({ state: 'claimed', trail: [...waitedAgain, entry(9, 'assigned')] })).toBe(false);
  });

  it('is false for an interaction nobody holds, whatever its trail', () => {
    for (const state of ['waiting', 'closed', 'quarantined'] as const) {
      expect(customerReplied({ state, trail: [...arrived, claimed, ...customerWrote(7)] })).toBe(false);
    }
  });

  it('reads past a cut trail\'s tail only as far as the cut: then any message since the claim counts', () => {
    const busy = Array.from({ length: 150 }, (_, n) => entry(6, n % 2 ? 'flow' : 'address'));
    const claimedAt = at(5).toISOString();
    const replyInTail = boundTrail([...arrived, claimed, ...busy, ...customerWrote(7)]);
    expect(replyInTail.some((e) => e.step === 'trail-cut')).toBe(true);
    expect(customerReplied({ state: 'claimed', claimedAt, lastMessageAt: at(7).toISOString(), trail: replyInTail })).toBe(true);
    // The claim is in the kept head, the cut part is unknown: the claim alone must not decide.
    const quietTail = boundTrail([...arrived, claimed, ...customerWrote(6), ...busy]);
    expect(quietTail.slice(0, 10).some((e) => e.step === 'claimed')).toBe(true);
    expect(customerReplied({ state: 'claimed', claimedAt, lastMessageAt: at(6).toISOString(), trail: quietTail })).toBe(true);
    expect(customerReplied({ state: 'claimed', claimedAt, lastMessageAt: at(1).toISOString(), trail: quietTail })).toBe(false);
  });
});
