/**
 * Dead-letter routes (decision 11): what exhausted its retries, newest first with its reason, and
 * its redrive once the cause is fixed. 404 for an unknown id, 409 (field `state`) for a second
 * redrive, 503 `redrive-unavailable` when this API was deployed without the inbound queue.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import * as z from 'zod/mini';
import { REDRIVE_BATCH, redriveAll, redriveDeadLetter, type RedriveDeps } from '../../../core/dead-letter-redrive.ts';
import { DEAD_LETTER_STATES, type DeadLetter, type DeadLetterStore } from '../../../core/dead-letters.ts';
import { NotFoundError } from '../../../core/errors.ts';
import { ERROR_REASONS } from '../../../core/error-reasons.ts';
import { API_ERROR_CODES } from '../../../core/error-codes.ts';
import { errorBody } from '../errors.ts';
import { idParams, pageQuery } from '../params.ts';
import { parseParams } from '../validation.ts';

/** What the dead-letter routes need; without `redrive` they list and show only. */
export interface DeadLetterApiDeps {
  readonly store: DeadLetterStore;
  readonly redrive?: RedriveDeps;
}

const listQuery = z.extend(pageQuery, {
  state: z._default(z.enum(DEAD_LETTER_STATES as [string, ...string[]], { error: `must be one of ${DEAD_LETTER_STATES.join(', ')}` }), 'dead'),
});

const redriveBatchMessage = `must be an integer between 1 and ${REDRIVE_BATCH.max}`;
const redriveAllQuery = z.object({
  limit: z._default(
    z.pipe(
      z.string().check(z.regex(/^\d{1,3}$/, redriveBatchMessage)),
      z.pipe(z.transform(Number), z.int().check(z.gte(1, redriveBatchMessage), z.lte(REDRIVE_BATCH.max, redriveBatchMessage))),
    ),
    REDRIVE_BATCH.default,
  ),
  cursor: pageQuery.shape.cursor,
});

/** One row of `GET /dead-letters`: everything but the body. */
export function deadLetterSummaryView(d: DeadLetter) {
  const { body: _body, bodyObject: _object, ...rest } = d;
  return rest;
}

function unavailable(c: Context): Response {
  const message = 'this API was deployed without the inbound queue; redrive is not available';
  return c.json(errorBody(API_ERROR_CODES.redriveUnavailable, ERROR_REASONS.deadLetterRedriveUnavailable, message), 503);
}

/** `GET /dead-letters`, `GET /dead-letters/:id`, `POST /dead-letters/:id/redrive`, `POST /dead-letters/redrive`. */
export function deadLetterRoutes(deps: DeadLetterApiDeps): Hono {
  const routes = new Hono();

  routes.get('/dead-letters', async (c) => {
    const { limit, cursor, state } = parseParams(listQuery, c.req.query());
    const page = await deps.store.list(state as DeadLetter['state'], limit, cursor);
    return c.json({ deadLetters: page.items.map(deadLetterSummaryView), ...(page.cursor !== undefined && { cursor: page.cursor }) });
  });

  routes.get('/dead-letters/:id', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    const deadLetter = await deps.store.get(id);
    if (!deadLetter) throw new NotFoundError(ERROR_REASONS.deadLetterNotFound, 'dead letter', id);
    return c.json({ deadLetter });
  });

  routes.post('/dead-letters/redrive', async (c) => {
    const { limit, cursor } = parseParams(redriveAllQuery, c.req.query());
    if (!deps.redrive) return unavailable(c);
    return c.json(await redriveAll(limit, cursor, deps.redrive));
  });

  routes.post('/dead-letters/:id/redrive', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    if (!deps.redrive) return unavailable(c);
    return c.json({ deadLetter: deadLetterSummaryView(await redriveDeadLetter(id, deps.redrive)) });
  });

  return routes;
}
