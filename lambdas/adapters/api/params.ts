/**
 * Validation of path and query parameters at the API's edge (STYLE.md habit 5): zod schemas, and
 * one stable, human message per field so clients and the CLI can show what to fix.
 */
import { z } from 'zod';
import { ValidationError } from '../../core/errors.ts';
import { MAX_CURSOR_CHARS } from '../dynamodb/item-codec.ts';

/** Paging bounds: one page is one DynamoDB query, kept well under its 1 MB response cap. */
export const API_LIMITS = {
  defaultPageSize: 50,
  maxPageSize: 200,
  /** Ids are short tokens (`i-…`, queue names); longer input is abuse, not an id. */
  maxIdChars: 128,
} as const;

/** The message shown for each field, whatever zod's individual issue was. */
const FIELD_MESSAGES: Record<string, string> = {
  limit: `must be an integer between 1 and ${API_LIMITS.maxPageSize}`,
  cursor: `must be a cursor returned by a previous page (at most ${MAX_CURSOR_CHARS} characters)`,
  id: `must be 1-${API_LIMITS.maxIdChars} letters, digits, '.', '_', ':' or '-'`,
};

const idSchema = z.string().regex(new RegExp(`^[A-Za-z0-9._:-]{1,${API_LIMITS.maxIdChars}}$`));

export const idParams = z.object({ id: idSchema });

export const pageQuery = z.object({
  limit: z
    .string()
    .regex(/^\d{1,4}$/)
    .transform(Number)
    .pipe(z.number().int().min(1).max(API_LIMITS.maxPageSize))
    .default(API_LIMITS.defaultPageSize),
  cursor: z.string().min(1).max(MAX_CURSOR_CHARS).regex(/^[A-Za-z0-9_-]+$/).optional(),
});

/**
 * Parses `input` with `schema`.
 * @throws ValidationError with one message per invalid field (the API answers 400 with them)
 */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? 'request');
    fields[field] ??= FIELD_MESSAGES[field] ?? issue.message;
  }
  throw new ValidationError(fields);
}
