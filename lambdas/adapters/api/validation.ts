/**
 * Validation at the API's edge (STYLE.md habit 5) with messages we write. A schema's issues are
 * mapped, by issue code and expected type, to one `{ path, code, message }` per field: a missing
 * field `is required`, a wrong JSON type `must be a string` (or the field's own wording, such as
 * `must be an array of strings`), an unknown field `is not allowed`. The validator's own text never
 * reaches a caller: a message is either one a schema here was given, or one written below.
 */
import * as z from 'zod/mini';
import type { $ZodIssue, $ZodType, output } from 'zod/v4/core';
import { FIELD_ERROR_CODES, type FieldErrorCode } from '../../core/error-codes.ts';
import { ValidationError } from '../../core/errors.ts';
import { ERROR_REASONS, type ErrorReason } from '../../core/error-reasons.ts';
import { PARAM_MESSAGES } from './params.ts';

/** One field's problem, as the API answers it in `error.issues`. */
export interface FieldIssue {
  /** JSON path of the field: `routing.priority`, `rules[2].when[0].op`; `body` for the whole body. */
  readonly path: string;
  readonly code: FieldErrorCode;
  /** The broken rule, where `code` says too little (core/error-reasons.ts); schema issues have none. */
  readonly reason?: ErrorReason;
  readonly message: string;
}

/**
 * A schema's error option that words only wrong-type issues (`must be an array of strings`),
 * leaving a missing field to `is required` and every check to its own message.
 */
export const typeError = (message: string) => ({
  error: (issue: { code: string }) => (issue.code === 'invalid_type' ? message : undefined),
});

/** What {@link parseInput} calls the whole input when a problem is not in one field. */
const ROOT = 'body';

/**
 * Parses `input` with `schema` (zod/mini or classic: any zod 4 schema).
 * `messages` word, per top-level field, the issues its schema did not word (path and query
 * parameters whose one line says everything, such as `limit`); the code still says what was wrong.
 * @throws ValidationError with the first issue of each field path (the API answers 400 with them)
 */
export function parseInput<S extends $ZodType>(schema: S, input: unknown, messages: Readonly<Record<string, string>> = {}): output<S> {
  // The empty default message marks issues no schema here worded; fieldIssues words them.
  const result = z.safeParse(schema, input, { error: () => '', reportInput: true });
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  const codes: Record<string, FieldErrorCode> = {};
  for (const issue of fieldIssues(result.error.issues, messages)) {
    if (issue.path in fields) continue;
    fields[issue.path] = issue.message;
    codes[issue.path] = issue.code;
  }
  throw new ValidationError(fields, codes);
}

/**
 * Parses path or query parameters with `schema`; a parameter's message is its `PARAM_MESSAGES`
 * line (params.ts) unless its schema words it.
 * @throws ValidationError with one message and code per invalid field (the API answers 400 with them)
 */
export function parseParams<S extends $ZodType>(schema: S, input: unknown): output<S> {
  return parseInput(schema, input, PARAM_MESSAGES);
}

/**
 * Parses a JSON body with `schema`.
 * @throws ValidationError with one message and code per field path (the first issue of each path)
 */
export function parseBody<S extends $ZodType>(schema: S, input: unknown): output<S> {
  return parseInput(schema, input);
}

/**
 * The request's JSON body.
 * @throws ValidationError (field `body`) when it is not JSON
 */
export async function jsonBody(req: { json(): Promise<unknown> }): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new ValidationError({ body: 'must be a JSON object' }, {}, { body: ERROR_REASONS.requestNotJson });
  }
}

/**
 * The field issues of a failed parse, in order; unknown keys give one issue each. `messages`: see
 * {@link parseInput}.
 */
export function fieldIssues(issues: readonly $ZodIssue[], messages: Readonly<Record<string, string>> = {}): FieldIssue[] {
  const out: FieldIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ path: fieldPath([...issue.path, key]), code: FIELD_ERROR_CODES.notAllowed, message: 'is not allowed' });
      continue;
    }
    const path = fieldPath(issue.path);
    if (isMissing(issue)) out.push({ path, code: FIELD_ERROR_CODES.required, message: 'is required' });
    else out.push({ path, code: codeOf(issue), message: issue.message || messages[String(issue.path[0])] || defaultMessage(issue, path) });
  }
  return out;
}

/** `['rules', 2, 'when', 0, 'op']` as `rules[2].when[0].op`; the whole body as `body`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out || ROOT;
}

/** A field that is absent, or an object whose discriminator (`kind`, `type`) is. */
function isMissing(issue: $ZodIssue): boolean {
  const input = (issue as { input?: unknown }).input;
  if (issue.code === 'invalid_type') return input === undefined;
  if (issue.code === 'invalid_union' && 'discriminator' in issue && typeof issue.discriminator === 'string') {
    return typeof input === 'object' && input !== null && (input as Record<string, unknown>)[issue.discriminator] === undefined;
  }
  return false;
}

function codeOf(issue: $ZodIssue): FieldErrorCode {
  switch (issue.code) {
    case 'invalid_type':
      return FIELD_ERROR_CODES.invalidType;
    case 'too_big':
      return FIELD_ERROR_CODES.tooBig;
    case 'too_small':
      return FIELD_ERROR_CODES.tooSmall;
    case 'invalid_format':
      return FIELD_ERROR_CODES.invalidFormat;
    case 'custom':
      return FIELD_ERROR_CODES.invalid;
    default:
      return FIELD_ERROR_CODES.invalidValue;
  }
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'an array',
  object: 'an object',
};

/** Our wording of an issue no schema worded; never the validator's text. */
function defaultMessage(issue: $ZodIssue, path: string): string {
  switch (issue.code) {
    case 'invalid_type':
      if (path === ROOT && issue.expected === 'object') return 'must be a JSON object';
      return `must be ${TYPE_WORDS[issue.expected] ?? `of type ${issue.expected}`}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}${unit(issue.origin, issue.maximum)}`;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
      return `must be at least ${String(issue.minimum)}${unit(issue.origin, issue.minimum)}`;
    case 'invalid_format':
      return 'has an invalid format';
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_union':
      return 'is not one of the accepted shapes';
    default:
      return 'is invalid';
  }
}

function unit(origin: string, count: number | bigint): string {
  const many = Number(count) !== 1;
  if (origin === 'string') return many ? ' characters' : ' character';
  if (origin === 'array' || origin === 'set') return many ? ' items' : ' item';
  return '';
}
