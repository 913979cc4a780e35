/**
 * Suppression routes (issue 11 item 4): the recipients the outbox refuses to send to (hard bounces,
 * complaints, and addresses an admin suppressed by hand), newest first, an admin's suppression of
 * an address (a customer who wants no more mail, a known-bad address), and an admin's lift of one.
 * 404 `suppression.not-found` when the address was not suppressed.
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { NotFoundError, UnprocessableError } from '../../../core/errors.ts';
import { ERROR_REASONS } from '../../../core/error-reasons.ts';
import { parseMailAddress } from '../../../core/outbound/address.ts';
import type { Suppression, SuppressionList } from '../../../core/outbound/outbound-ports.ts';
import type { ApiDeps } from '../deps.ts';
import { pageQuery } from '../params.ts';
import { callerIdOf } from './supervision.ts';
import { jsonBody, parseBody, parseParams } from '../validation.ts';

/** RFC 5321's longest path is 256 octets with the angle brackets: an address has at most 254. */
const MAX_SUPPRESSED_ADDRESS_CHARS = 254;
/** An admin's note on a manual suppression (who asked, the ticket): a line or two, not a file; it is listed whole. */
const MAX_SUPPRESSION_NOTE_CHARS = 500;

/**
 * The body of `POST /suppressions`. The address is checked after, as one e-mail address, so that
 * a wrong one is a 422 saying what is wrong with it (its length too; the API caps the body).
 */
const addBody = z.object({
  address: z.string(),
  note: z.optional(z.string().check(z.maxLength(MAX_SUPPRESSION_NOTE_CHARS, `must be at most ${MAX_SUPPRESSION_NOTE_CHARS} characters`))),
});

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

/**
 * `GET /suppressions` (paged, newest first), `POST /suppressions` (201 `{ suppression, created: true }`;
 * 200 with the standing one and `created: false` when the address is suppressed already, whatever
 * the reason: a retry or a second admin changes nothing), `DELETE /suppressions/:address` (204).
 */
export function suppressionRoutes(suppressions: SuppressionList, deps: Pick<ApiDeps, 'now'>): Hono {
  const routes = new Hono();

  routes.post('/suppressions', async (c) => {
    const body = parseBody(addBody, await jsonBody(c.req));
    const parsed = parseMailAddress(body.address);
    if (!parsed.ok) throw new UnprocessableError({ address: parsed.problem }, {}, { address: ERROR_REASONS.suppressionAddressInvalid });
    const [standing] = await suppressions.find([parsed.address]);
    if (standing) return c.json({ suppression: standing, created: false }, 200);
    const addedBy = callerIdOf(c);
    const suppression: Suppression = {
      address: parsed.address.toLowerCase(),
      reason: 'manual',
      detail: body.note?.trim() ?? '',
      at: deps.now().toISOString(),
      ...(addedBy !== undefined && { addedBy }),
    };
    await suppressions.add(suppression);
    return c.json({ suppression, created: true }, 201);
  });

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
