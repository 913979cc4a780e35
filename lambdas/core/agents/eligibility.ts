import type { Agent } from './model.ts';
/**
 * Who may take what (the seed's ACD rule): an agent takes an interaction only when the agent has
 * ALL of its required skills and, when the interaction has a language, speaks it. Pure: the
 * DynamoDB adapter filters index pages with it, and tests state the rule without a table.
 */

/** What eligibility looks at on an interaction: its required skills and optional language. */
export interface Requirements {
  readonly skills?: readonly string[];
  readonly language?: string;
}

/** Skills and languages compare case-insensitively: `Billing` and `billing` are one skill. */
function norm(value: string): string {
  return value.trim().toLowerCase();
}

/**
 * True when `agent` may take an interaction with `required`. Why a subset test and not any
 * overlap: a skill on an interaction is a requirement (a refund needs `billing` AND `german`),
 * never a preference. An interaction without skills or language is open to every agent.
 */
export function isEligible(agent: Pick<Agent, 'skills' | 'languages'>, required: Requirements): boolean {
  const skills = new Set(agent.skills.map(norm));
  if (!(required.skills ?? []).every((s) => skills.has(norm(s)))) return false;
  if (required.language === undefined || required.language === '') return true;
  return agent.languages.some((l) => norm(l) === norm(required.language!));
}

/**
 * Why `agent` may not take an interaction, one phrase per unmet requirement (empty when
 * eligible); shown by tools that explain why an agent got nothing.
 */
export function unmetRequirements(agent: Pick<Agent, 'skills' | 'languages'>, required: Requirements): string[] {
  const skills = new Set(agent.skills.map(norm));
  const missing = (required.skills ?? []).filter((s) => !skills.has(norm(s)));
  const reasons = missing.length ? [`lacks skill ${missing.join(', ')}`] : [];
  const language = required.language;
  if (language !== undefined && language !== '' && !agent.languages.some((l) => norm(l) === norm(language))) {
    reasons.push(`does not speak ${language}`);
  }
  return reasons;
}
