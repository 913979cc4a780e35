/**
 * Whether deploying Postroom may make its receipt rule set the active one. An account has one
 * active rule set per region, and activating ours silently stops every rule of the set it replaces
 * (another application's mail, the admin's forwarding). So the deployment activates ours only when
 * nothing else would be lost, and otherwise fails with the two ways forward.
 */

/**
 * The context keys named in the refusal. lib/context.ts owns them (CONTEXT_KEYS); core may not
 * import lib, so they are repeated here and a test checks both agree.
 */
export const RULE_SET_CONTEXT_KEYS = {
  receiptRuleSet: 'postroom:receiptRuleSet',
  replaceActiveRuleSet: 'postroom:replaceActiveRuleSet',
} as const;

/** What the activation knows when it runs. */
export interface ActivationFacts {
  /** The name of Postroom's own rule set. */
  readonly ours: string;
  /** The name of the active rule set of the account and region; undefined when none is active. */
  readonly active: string | undefined;
  /** Whether the deployer allowed replacing another active set (`postroom:replaceActiveRuleSet`). */
  readonly replaceAllowed: boolean;
}

/** Activate ours, or refuse with a message for the deployer (the failed deployment shows it). */
export type ActivationDecision = { readonly kind: 'activate' } | { readonly kind: 'refuse'; readonly message: string };

/**
 * Activate when no set is active, when ours already is, or when replacing is allowed; otherwise
 * refuse, naming the active set and the two choices (add Postroom's rule to it, or allow replacing it).
 */
export function activationDecision(facts: ActivationFacts): ActivationDecision {
  const { ours, active, replaceAllowed } = facts;
  if (active === undefined || active === ours || replaceAllowed) return { kind: 'activate' };
  const { receiptRuleSet, replaceActiveRuleSet } = RULE_SET_CONTEXT_KEYS;
  return {
    kind: 'refuse',
    message:
      `SES receipt rule set "${active}" is active in this account and region; activating Postroom's set "${ours}" would stop its rules. ` +
      `Either add Postroom's rule to it (-c ${receiptRuleSet}=${active}) or replace it (-c ${replaceActiveRuleSet}=true), then deploy again.`,
  };
}

/**
 * On stack deletion: deactivate only when ours is still the active set, so removing Postroom never
 * switches off a set someone activated since.
 */
export function shouldDeactivate(ours: string, active: string | undefined): boolean {
  return active === ours;
}
