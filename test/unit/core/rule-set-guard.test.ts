import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONTEXT_KEYS } from '../../../lib/context.ts';
import { RULE_SET_CONTEXT_KEYS, activationDecision, shouldDeactivate } from '../../../lambdas/core/rule-set-guard.ts';

const name = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,20}$/);

describe('activationDecision', () => {
  it('activates when no rule set is active, or ours already is', () => {
    fc.assert(
      fc.property(name, fc.boolean(), (ours, replaceAllowed) => {
        // Act + Assess
        expect(activationDecision({ ours, active: undefined, replaceAllowed })).toEqual({ kind: 'activate' });
        expect(activationDecision({ ours, active: ours, replaceAllowed })).toEqual({ kind: 'activate' });
      }),
    );
  });

  it('activates over another active set only when replacing is allowed', () => {
    fc.assert(
      fc.property(name, name, (ours, active) => {
        fc.pre(ours !== active);
        // Act
        const allowed = activationDecision({ ours, active, replaceAllowed: true });
        const refused = activationDecision({ ours, active, replaceAllowed: false });
        // Assess
        expect(allowed).toEqual({ kind: 'activate' });
        expect(refused.kind).toBe('refuse');
      }),
    );
  });

  it('names the active set and both ways forward when it refuses', () => {
    // Act
    const decision = activationDecision({ ours: 'Postroom-Inbound-1A2B', active: 'admin-rules', replaceAllowed: false });
    // Assess
    expect(decision).toEqual({
      kind: 'refuse',
      message:
        'SES receipt rule set "admin-rules" is active in this account and region; activating Postroom\'s set "Postroom-Inbound-1A2B" would stop its rules. ' +
        'Either add Postroom\'s rule to it (-c postroom:receiptRuleSet=admin-rules) or replace it (-c postroom:replaceActiveRuleSet=true), then deploy again.',
    });
  });

  it('names the same context keys as lib/context.ts', () => {
    expect(RULE_SET_CONTEXT_KEYS.receiptRuleSet).toBe(CONTEXT_KEYS.receiptRuleSet);
    expect(RULE_SET_CONTEXT_KEYS.replaceActiveRuleSet).toBe(CONTEXT_KEYS.replaceActiveRuleSet);
  });
});

describe('shouldDeactivate', () => {
  it('deactivates on delete only while ours is the active set', () => {
    // Act + Assess
    expect(shouldDeactivate('ours', 'ours')).toBe(true);
    expect(shouldDeactivate('ours', 'admin-rules')).toBe(false);
    expect(shouldDeactivate('ours', undefined)).toBe(false);
  });
});
