/**
 * Queue administration: create a queue, remove an empty one. Listing stays in queues.ts. A queue
 * with waiting interactions, or one an agent or address route uses, is never removed (core
 * removal.ts): mail would wait in a queue nobody can see.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Hono } from 'hono';
import { ACD_LIMITS } from '../../../core/agents/limits.ts';
import type { AcdDeps } from '../../../core/agents/ports.ts';
import { removeQueue } from '../../../core/agents/removal.ts';
import { ConflictError } from '../../../core/errors.ts';
import { ERROR_REASONS } from '../../../core/error-reasons.ts';
import type { ApiDeps } from '../deps.ts';
import { idParams } from '../params.ts';
import { queueView } from '../views.ts';
import { queueBody } from './queue-schemas.ts';
import { jsonBody, parseBody, parseParams } from '../validation.ts';
import type { Queue } from '../../../core/agents/model.ts';

/** `POST /queues` and `DELETE /queues/:id`. */
export function queueAdminRoutes(acd: AcdDeps, deps: Pick<ApiDeps, 'queues' | 'now' | 'routingConfig'>): Hono {
  const routes = new Hono();
  const settleMs = acd.queueClosingSettleMs ?? ACD_LIMITS.queueClosingSettleMs;
  const removal = {
    queueAdmin: acd.queueAdmin,
    queues: deps.queues,
    agents: acd.agents,
    ...(deps.routingConfig && { addresses: deps.routingConfig.addresses }),
    settle: () => sleep(settleMs),
  };

  routes.post('/queues', async (c) => {
    const body = parseBody(queueBody, await jsonBody(c.req));
    const queue: Queue = { id: body.id, name: body.name, createdAt: deps.now().toISOString(), ...(body.description && { description: body.description }) };
    if ((await acd.queueAdmin.create(queue)) === 'exists') {
      throw new ConflictError(ERROR_REASONS.queueIdTaken, `queue ${queue.id} already exists`, { id: `is taken by an existing queue` });
    }
    return c.json({ queue: queueView(queue, 0) }, 201);
  });

  routes.delete('/queues/:id', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    await removeQueue(removal, id, deps.now());
    return c.body(null, 204);
  });

  return routes;
}
