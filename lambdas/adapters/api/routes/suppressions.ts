/**
 * Suppression routes (issue 11 item 4): the recipients the outbox refuses to send to (hard bounces,
 * complaints), newest first, and an admin's lift of one of them. 404 `suppression.not-found` when
 * the address was not suppressed.
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { NotFoundError } from '../../../core/errors.ts';
import { ERROR_REASONS } from '../../../core/error-reasons.ts';
import type { SuppressionList } from '../../../core/outbound/outbound-ports.ts';
import { pageQuery } from '../params.ts';
import { parseParams } from '../validation.ts';

/** RFC 5321's longest path is 256 octets with the angle brackets: an address has at most 254. */
const MAX_SUPPRESSED_ADDRESS_CHARS = 254;

const addressParams = z.object({
  address: z.pipe(
    z.string().check(
      z.minLength(3, 'must be an e-mail address'),
      z.maxLength(MAX_SUPPRESSED_ADDRESS_CHARS, 'must be an e-mail address'),
      // Why no space or control character: such a string was never stored, and echoing it back is needless.
      z.regex(/^[^\s\p{Cc}@]+@[^\s\p{Cc}@]+$/u, 'must be an e-mail address'),
    ),
    z.transform((a) => a.toLowerCase()),
  ),
});

/** `GET /suppressions` (paged, newest first), `DELETE /suppressions/:address` (204). */
export function suppressionRoutes(suppressions: SuppressionList): Hono {
  const routes = new Hono();

  routes.get('/suppressions', async (c) => {
    const { limit, cursor } = parseParams(pageQuery, c.req.query());
    const page = await suppressions.list({ limit, ...(cursor !== undefined && { cursor }) });
    return c.json({ suppressions: page.suppressions, ...(page.cursor !== undefined && { cursor: page.cursor }) });
  });

  routes.delete('/suppressions/:address', async (c) => {
    const { address } = parseParams(addressParams, c.req.param());
    if ((await suppressions.remove(address)) === 'missing') throw new NotFoundError(ERROR_REASONS.suppressionNotFound, 'suppression of', address);
    return c.body(null, 204);
  });

  return routes;
}
