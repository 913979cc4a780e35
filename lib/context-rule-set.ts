/**
 * The context settings that choose the SES receipt rule set (README "Receipt rule sets and
 * regions"): add Postroom's rule to an existing set, or use an own set and activate it, replacing
 * another active set only when allowed.
 */
import { ContextError } from './context-error.ts';

/** The keys, merged into CONTEXT_KEYS of lib/context.ts. */
export const RULE_SET_KEYS = {
  receiptRuleSet: 'postroom:receiptRuleSet',
  replaceActiveRuleSet: 'postroom:replaceActiveRuleSet',
} as const;

/** SES's rule for rule set names: letters, digits, `_`, `.`, `-`, starting and ending alphanumeric, at most 64. */
const RULE_SET_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9])?$/;

/**
 * Validates both settings: `receiptRuleSet` an SES rule set name (default none), `replaceActiveRuleSet`
 * true/false or 'true'/'false' as `-c` passes it (default false). Both together are refused: with an
 * existing set Postroom activates nothing, so there is nothing to replace.
 */
export function ruleSetChoiceOf(ruleSet: unknown, replace: unknown): { receiptRuleSet?: string; replaceActiveRuleSet: boolean } {
  const { receiptRuleSet: setKey, replaceActiveRuleSet: replaceKey } = RULE_SET_KEYS;
  const replaceActiveRuleSet = replace === undefined ? false : replace === true || replace === 'true' ? true : replace === false || replace === 'false' ? false : undefined;
  if (replaceActiveRuleSet === undefined) throw new ContextError(`context ${replaceKey} must be true or false, got ${String(replace)}`);
  if (ruleSet === undefined || ruleSet === '') return { replaceActiveRuleSet };
  if (typeof ruleSet !== 'string' || !RULE_SET_NAME.test(ruleSet)) {
    throw new ContextError(`context ${setKey} must be the name of an existing SES receipt rule set, got ${String(ruleSet)}`);
  }
  if (replaceActiveRuleSet) throw new ContextError(`context ${setKey} and ${replaceKey} exclude each other: with an existing set Postroom activates nothing`);
  return { receiptRuleSet: ruleSet, replaceActiveRuleSet };
}
