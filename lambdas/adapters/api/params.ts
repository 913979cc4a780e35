/**
 * Validation of path and query parameters at the API's edge (STYLE.md habit 5): zod schemas, and
 * one stable, human message per field so clients and the CLI can show what to fix.
 */
import * as z from 'zod/mini';
import type { $ZodType, output } from 'zod/v4/core';
import { MAX_CURSOR_CHARS } from '../dynamodb/item-codec.ts';
import { parseInput } from './validation.ts';

/** Paging bounds: one page is one DynamoDB query, kept well under its 1 MB response cap. */
export const API_LIMITS = {
  defaultPageSize: 50,
  maxPageSize: 200,
  /** Ids are short tokens (`i-…`, queue names); longer input is abuse, not an id. */
  maxIdChars: 128,
} as const;

/** The message shown for each parameter when its schema did not word the issue itself. */
const FIELD_MESSAGES: Record<string, string> = {
  limit: `must be an integer between 1 and ${API_LIMITS.maxPageSize}`,
  cursor: `must be a cursor returned by a previous page (at most ${MAX_CURSOR_CHARS} characters)`,
  id: `must be 1-${API_LIMITS.maxIdChars} letters, digits, '.', '_', ':' or '-'`,
};

const idSchema = z.string().check(z.regex(new RegExp(`^[A-Za-z0-9._:-]{1,${API_LIMITS.maxIdChars}}$`)));

export const idParams = z.object({ id: idSchema });

export const pageQuery = z.object({
  limit: z._default(
    z.pipe(
      z.string().check(z.regex(/^\d{1,4}$/)),
      z.pipe(
        z.transform(Number),
        z.int().check(z.gte(1), z.lte(API_LIMITS.maxPageSize)),
      ),
    ),
    API_LIMITS.defaultPageSize,
  ),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_CURSOR_CHARS), z.regex(/^[A-Za-z0-9_-]+$/))),
});

/**
 * Parses `input` with `schema`; a parameter's message is its {@link FIELD_MESSAGES} line unless its schema words it.
 * @throws ValidationError with one message and code per invalid field (the API answers 400 with them)
 */
export function parseParams<S extends $ZodType>(schema: S, input: unknown): output<S> {
  return parseInput(schema, input, FIELD_MESSAGES);
}
