/**
 * Path and query parameters at the API's edge (STYLE.md habit 5): their zod schemas, their bounds,
 * and one stable, human message per parameter so clients and the CLI can show what to fix
 * (validation.ts `parseParams` applies them).
 */
import * as z from 'zod/mini';
import { MAX_CURSOR_CHARS } from '../dynamodb/item-codec.ts';

/** Paging bounds: one page is one DynamoDB query, kept well under its 1 MB response cap. */
export const PAGE_LIMITS = { defaultPageSize: 50, maxPageSize: 200 } as const;

/** Ids in paths are short tokens (`i-…`, queue names); longer input is abuse, not an id. */
export const ID_PARAM_LIMITS = { maxChars: 128 } as const;

/** The message shown for each parameter when its schema did not word the issue itself (validation.ts parseParams). */
export const PARAM_MESSAGES: Readonly<Record<string, string>> = {
  limit: `must be an integer between 1 and ${PAGE_LIMITS.maxPageSize}`,
  cursor: `must be a cursor returned by a previous page (at most ${MAX_CURSOR_CHARS} characters)`,
  id: `must be 1-${ID_PARAM_LIMITS.maxChars} letters, digits, '.', '_', ':' or '-'`,
};

const idSchema = z.string().check(z.regex(new RegExp(`^[A-Za-z0-9._:-]{1,${ID_PARAM_LIMITS.maxChars}}$`)));

export const idParams = z.object({ id: idSchema });

export const pageQuery = z.object({
  limit: z._default(
    z.pipe(
      z.string().check(z.regex(/^\d{1,4}$/)),
      z.pipe(
        z.transform(Number),
        z.int().check(z.gte(1), z.lte(PAGE_LIMITS.maxPageSize)),
      ),
    ),
    PAGE_LIMITS.defaultPageSize,
  ),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(MAX_CURSOR_CHARS), z.regex(/^[A-Za-z0-9_-]+$/))),
});
