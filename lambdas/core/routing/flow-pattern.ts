/**
 * Regular expressions in flows (`op: "matches"`) run on RE2 (re2js), a linear-time engine: no
 * pattern can backtrack, so `((a+))+$`, `(.*a){12}$` or `a*a*a*a*a*a*b` cost time proportional to
 * the input, never exponential (decision 12). JavaScript's own engine backtracks without a time
 * limit: one 28-character subject could hold a routing Lambda past its timeout on every retry,
 * taking the other records of its batch along. The cost of one match is bounded three ways:
 * patterns are short ({@link FLOW_LIMITS.maxPatternChars}), their compiled program is small
 * ({@link MAX_PATTERN_PROGRAM_SIZE}; a flow's patterns together {@link MAX_FLOW_PROGRAM_SIZE}), and
 * inputs are cut to {@link FLOW_LIMITS.maxMatchInputChars} characters. RE2 has no back-references
 * and no lookaround: a pattern it cannot compile is refused when the flow is saved, with RE2's
 * reason. Patterns compile once per flow version.
 */
import { RE2JS } from 're2js';
import { FLOW_LIMITS } from './flow.ts';

/**
 * RE2 instructions one pattern may compile to. Matching costs up to (instructions x input length)
 * steps: `\w{400}` is fine, `\w{999}\w{999}...` (6,000 instructions, seconds per input) is not.
 */
export const MAX_PATTERN_PROGRAM_SIZE = 500;

/** RE2 instructions all patterns of one flow may compile to together: the work per message. */
export const MAX_FLOW_PROGRAM_SIZE = 2_000;

/** A compiled flow pattern: `test` is true when it matches anywhere in the input. */
export interface FlowPattern {
  test(input: string): boolean;
  /** Instructions of the compiled program (the cost factor per input character). */
  readonly programSize: number;
}

/** Why `pattern` is refused, or undefined when it may be used. */
export function patternError(pattern: string): string | undefined {
  if (pattern.length === 0 || pattern.length > FLOW_LIMITS.maxPatternChars) {
    return `must be a regular expression of 1-${FLOW_LIMITS.maxPatternChars} characters`;
  }
  let compiled: FlowPattern;
  try {
    compiled = compilePattern(pattern);
  } catch (err) {
    return (
      `is not a pattern the linear-time engine (RE2) accepts: ${(err as Error).message.replace(/^error parsing regexp: /, '')}` +
      ' (back-references and lookaround are not supported)'
    );
  }
  if (compiled.programSize > MAX_PATTERN_PROGRAM_SIZE) {
    return `is too complex: it compiles to ${compiled.programSize} steps, at most ${MAX_PATTERN_PROGRAM_SIZE} (use smaller repeat counts)`;
  }
  return undefined;
}

/**
 * Compiles a pattern: case-insensitive (Unicode case folding), like every flow comparison.
 * @throws Error (RE2's syntax exception) for a pattern RE2 cannot compile
 */
export function compilePattern(pattern: string): FlowPattern {
  const re = RE2JS.compile(pattern, RE2JS.CASE_INSENSITIVE);
  const programSize = Number((re.re2().prog as { numInst(): number }).numInst());
  return { test: (input) => re.test(input), programSize };
}

/** The part of an input a condition looks at. */
export function matchInput(text: string): string {
  return text.length > FLOW_LIMITS.maxMatchInputChars ? text.slice(0, FLOW_LIMITS.maxMatchInputChars) : text;
}
