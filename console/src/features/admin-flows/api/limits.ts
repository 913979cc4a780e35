/**
 * The limits of flows and templates the editors show: the API's FLOW_LIMITS
 * (lambdas/core/routing/flow.ts; test/unit/console/admin-limits.test.ts fails when they differ).
 */
export const FLOW_FORM_LIMITS = {
  maxIdChars: 64,
  maxNameChars: 200,
  maxDescriptionChars: 1_000,
  maxRules: 100,
  maxAckSubjectChars: 200,
  maxAckBodyChars: 20_000,
} as const;

/**
 * The largest message the dry run takes as pasted text. Why 1 MB: the API parses it with the
 * production MIME parser and refuses more (its dry-run limit); a paste beyond it is refused here
 * before it is sent.
 */
export const MAX_DRY_RUN_MESSAGE_BYTES = 1024 * 1024;
