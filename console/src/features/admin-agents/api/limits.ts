/**
 * The limits of an agent and a user the forms show (the API's AGENT_LIMITS in
 * lambdas/adapters/api/routes/agents.ts and ACD_LIMITS in lambdas/core/agents/limits.ts;
 * test/unit/console/admin-limits.test.ts fails when they differ).
 */
export const AGENT_FORM_LIMITS = {
  /** An agent id is its user's username. */
  maxIdChars: 64,
  maxNameChars: 100,
  maxSkillChars: 64,
  maxSkills: 50,
  maxLanguages: 20,
  maxAgentQueues: 20,
} as const;

/** Comma- or space-separated items as typed, trimmed, empty ones dropped. */
export function listOf(text: string): string[] {
  return text.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
}
