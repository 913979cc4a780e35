/**
 * Field errors of the rules core checks (address routes, flows, templates), each with its message
 * and its specific reason (core/error-reasons.ts), so a client can say which rule broke in the
 * user's language. The rule modules collect {@link FieldProblems}; their `...Errors` functions
 * keep answering the messages alone, and their guards throw both.
 */
import type { ErrorReason } from './error-reasons.ts';
import type { FieldErrorCode } from './error-codes.ts';
import { ValidationError } from './errors.ts';

/** One field's broken rule: the English message and the reason a client keys its own text on. */
export interface FieldProblem {
  readonly reason: ErrorReason;
  readonly message: string;
}

/** Broken rules keyed by the field's JSON path (`routing.queueId`, `rules[2].when[0].value`). */
export type FieldProblems = Record<string, FieldProblem>;

/** A {@link FieldProblem}; reads better in a table of rules than an object literal. */
export function problem(reason: ErrorReason, message: string): FieldProblem {
  return { reason, message };
}

/** The messages of `problems`, keyed by field path (what the `...Errors` functions answer). */
export function fieldMessages(problems: FieldProblems): Record<string, string> {
  return Object.fromEntries(Object.entries(problems).map(([path, p]) => [path, p.message]));
}

/**
 * Throws when any rule broke. `fieldCodes` gives a field a code other than `invalid`.
 * @throws ValidationError with every field's message and reason
 */
export function assertNoProblems(problems: FieldProblems, fieldCodes: Readonly<Record<string, FieldErrorCode>> = {}): void {
  const entries = Object.entries(problems);
  if (entries.length === 0) return;
  throw new ValidationError(fieldMessages(problems), fieldCodes, Object.fromEntries(entries.map(([path, p]) => [path, p.reason])));
}
