/**
 * Regular expressions in flows (`op: "matches"`). JavaScript's engine backtracks and has no time
 * limit, so the cost of one match is bounded three ways: patterns are short
 * ({@link FLOW_LIMITS.maxPatternChars}), the shapes that backtrack exponentially (a quantified
 * group that itself repeats, back-references) are refused when the flow is saved, and inputs are
 * cut to {@link FLOW_LIMITS.maxMatchInputChars} before matching. Patterns compile once per flow.
 */
import { FLOW_LIMITS } from './flow.ts';

/**
 * A group containing a quantifier or an alternation, itself repeated: `(a+)+`, `(\w*x)*`,
 * `(a{2,})+`, `(a|aa)+`. These are the shapes whose backtracking grows exponentially.
 */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*(?:[+*|]|\{\d+,\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,\d*\})/;
/** `\1`, `\k<name>`: back-references make matching NP-hard in general. */
const BACK_REFERENCE = /\\(?:[1-9]|k<)/;

/** Why `pattern` is refused, or undefined when it may be used. */
export function patternError(pattern: string): string | undefined {
  if (pattern.length === 0 || pattern.length > FLOW_LIMITS.maxPatternChars) {
    return `must be a regular expression of 1-${FLOW_LIMITS.maxPatternChars} characters`;
  }
  if (NESTED_QUANTIFIER.test(pattern)) return 'must not repeat a group that itself repeats or alternates (catastrophic backtracking)';
  if (BACK_REFERENCE.test(pattern)) return 'must not use back-references';
  try {
    compilePattern(pattern);
  } catch (err) {
    return `is not a valid regular expression: ${(err as Error).message}`;
  }
  return undefined;
}

/** Compiles a validated pattern: case-insensitive, Unicode-aware, like every flow comparison. */
export function compilePattern(pattern: string): RegExp {
  return new RegExp(pattern, 'iu');
}

/** The part of an input a condition looks at. */
export function matchInput(text: string): string {
  return text.length > FLOW_LIMITS.maxMatchInputChars ? text.slice(0, FLOW_LIMITS.maxMatchInputChars) : text;
}
