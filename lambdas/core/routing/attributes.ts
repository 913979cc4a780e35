/**
 * The ACD attributes an interaction carries to the queue (ADR-2, ADR-6): skills, language and
 * priority. Address routes, flows and agents all name them, so their rules live in one place and
 * every edge reports the same message for the same mistake.
 */
import { LANGUAGE_CODE_MESSAGE, isLanguageCode } from '../languages.ts';
import { MAX_PRIORITY, MIN_PRIORITY } from '../score.ts';

/** A skill is a slug (`billing`, `tier-2`): stable in URLs, CLI flags and DynamoDB filters. */
export const SKILL_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** An interaction needs every skill it lists; more than this is a configuration error, not a need. */
export const MAX_SKILLS = 20;

/** The messages shown for each attribute; tests and clients rely on their wording. */
export const ATTRIBUTE_MESSAGES = {
  skill: 'must be a slug: 1-64 lower-case letters, digits and inner hyphens',
  skills: `at most ${MAX_SKILLS} distinct skills`,
  language: LANGUAGE_CODE_MESSAGE,
  priority: `must be an integer between ${MIN_PRIORITY} and ${MAX_PRIORITY}`,
} as const;

/** True for a skill slug (see {@link SKILL_PATTERN}). */
export function isSkill(value: string): boolean {
  return SKILL_PATTERN.test(value);
}

/** True for a lower-case ISO 639-1 code (core/languages.ts has the list). */
export function isLanguage(value: string): boolean {
  return isLanguageCode(value);
}

/** True for a priority the score order can hold exactly (core/score.ts bounds). */
export function isPriority(value: number): boolean {
  return Number.isInteger(value) && value >= MIN_PRIORITY && value <= MAX_PRIORITY;
}

/** Clamps a computed priority (after a flow's adjustments) into the bounds instead of failing. */
export function clampPriority(value: number): number {
  return Math.min(MAX_PRIORITY, Math.max(MIN_PRIORITY, Math.trunc(value)));
}

/**
 * The field error of a skill list, or undefined when it is valid. Why one function: address
 * routes and flow actions must reject the same lists with the same words.
 */
export function skillsError(skills: readonly string[]): string | undefined {
  if (skills.some((s) => !isSkill(s))) return ATTRIBUTE_MESSAGES.skill;
  if (new Set(skills).size > MAX_SKILLS) return ATTRIBUTE_MESSAGES.skills;
  return undefined;
}
