/**
 * The ACD attributes an interaction carries to the queue (ADR-2, ADR-6): skills, language and
 * priority. Address routes, flows and agents all name them, so their rules live in one place and
 * every edge reports the same message for the same mistake.
 */
import { MAX_PRIORITY, MIN_PRIORITY } from '../score.ts';

/** A skill is a slug (`billing`, `tier-2`): stable in URLs, CLI flags and DynamoDB filters. */
export const SKILL_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** An interaction needs every skill it lists; more than this is a configuration error, not a need. */
export const MAX_SKILLS = 20;

/** The ISO 639-1 codes (two letters); agents' languages and interactions' languages use these. */
export const ISO_639_1: ReadonlySet<string> = new Set(
  (
    'aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo ' +
    'es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka ' +
    'kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng ' +
    'nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su ' +
    'sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu'
  ).split(' '),
);

/** The messages shown for each attribute; tests and clients rely on their wording. */
export const ATTRIBUTE_MESSAGES = {
  skill: 'must be a slug: 1-64 lower-case letters, digits and inner hyphens',
  skills: `at most ${MAX_SKILLS} distinct skills`,
  language: 'must be an ISO 639-1 code such as en, de or ja',
  priority: `must be an integer between ${MIN_PRIORITY} and ${MAX_PRIORITY}`,
} as const;

/** True for a skill slug (see {@link SKILL_PATTERN}). */
export function isSkill(value: string): boolean {
  return SKILL_PATTERN.test(value);
}

/** True for a lower-case ISO 639-1 code. */
export function isLanguage(value: string): boolean {
  return ISO_639_1.has(value);
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
