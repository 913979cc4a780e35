/**
 * The mail server registry (issue 10 items 1 and 2): add, list, show, update, duplicate, delete,
 * test and status of POP3, IMAP and SMTP servers. The body's shape is checked here
 * (server-schemas.ts); the seed's rules and enable = test are the registry's
 * (core/mailboxes/server-service.ts). No answer ever carries a password, token or the secret's
 * reference: a server shows `hasSecret` instead (SRV-10).
 */
import { Hono, type Context } from 'hono';
import { API_ERROR_CODES } from '../../../core/error-codes.ts';
import { ERROR_REASONS } from '../../../core/error-reasons.ts';
import type { ConnectionTestResult } from '../../../core/mailboxes/connection.ts';
import { ConnectionTestFailedError, ConnectionTestUnavailableError, type MailServerService, type SaveOptions } from '../../../core/mailboxes/server-service.ts';
import type { MailServer } from '../../../core/mailboxes/server.ts';
import { errorBody } from '../errors.ts';
import { idParams } from '../params.ts';
import { jsonBody, parseBody, parseParams } from '../validation.ts';
import { serverCreateBody, serverDuplicateBody, serverUpdateBody } from './server-schemas.ts';

/** `POST|GET /servers`, `GET /servers/status`, `GET|PATCH|DELETE /servers/:id`, `POST /servers/:id/duplicate|test`. */
export function serverRoutes(servers: MailServerService): Hono {
  const routes = new Hono();

  routes.post('/servers', (c) =>
    answeringTests(c, async () => {
      const { onConnectionFailure, ...input } = parseBody(serverCreateBody, await jsonBody(c.req));
      const saved = await servers.add(input, saveOptions(onConnectionFailure));
      return c.json({ server: serverView(saved.server), ...(saved.test && { test: testView(saved.test) }), ...(saved.consent && { consent: saved.consent }) }, 201);
    }),
  );

  routes.get('/servers', async (c) => c.json({ servers: (await servers.list()).map(serverView) }));

  // Before `/servers/:id`, so `status` is never read as an id.
  routes.get('/servers/status', async (c) => c.json({ servers: await servers.status() }));

  routes.get('/servers/:id', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    return c.json({ server: serverView(await servers.get(id)) });
  });

  routes.patch('/servers/:id', (c) =>
    answeringTests(c, async () => {
      const { id } = parseParams(idParams, c.req.param());
      const { onConnectionFailure, ...patch } = parseBody(serverUpdateBody, await jsonBody(c.req));
      const saved = await servers.update(id, patch, saveOptions(onConnectionFailure));
      return c.json({ server: serverView(saved.server), ...(saved.test && { test: testView(saved.test) }), ...(saved.consent && { consent: saved.consent }) });
    }),
  );

  routes.delete('/servers/:id', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    await servers.delete(id);
    return c.body(null, 204);
  });

  routes.post('/servers/:id/duplicate', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    const { name } = parseBody(serverDuplicateBody, await jsonBody(c.req));
    return c.json({ server: serverView(await servers.duplicate(id, name)) }, 201);
  });

  routes.post('/servers/:id/test', (c) =>
    answeringTests(c, async () => {
      const { id } = parseParams(idParams, c.req.param());
      const { server, result } = await servers.test(id);
      return c.json({ server: serverView(server), test: testView(result) });
    }),
  );

  return routes;
}

/** A server as the API shows it: every setting and its health, `hasSecret` instead of the secret's reference. */
export function serverView(server: MailServer) {
  const { secretRef, ...shown } = server;
  return { ...shown, hasSecret: secretRef !== undefined };
}

/** A connection test in words: "connection successful: …" or "connection failed: …" and, on failure, the reason code. */
export function testView(result: ConnectionTestResult) {
  if (result.ok) {
    return { ok: true, message: result.message, ...(result.backlog !== undefined && { backlog: result.backlog }), ...(result.backfill !== undefined && { backfill: result.backfill }) };
  }
  return { ok: false, reason: result.reason, message: `connection failed: ${result.message}` };
}

function saveOptions(onConnectionFailure: SaveOptions['onConnectionFailure']): SaveOptions {
  return onConnectionFailure ? { onConnectionFailure } : {};
}

/**
 * Runs `handle`, answering a failed connection test of an enabled save with 422 and the test beside
 * the error, and a deployment that cannot test with 503; every other error goes to the app's handler.
 */
async function answeringTests(c: Context, handle: () => Promise<Response>): Promise<Response> {
  try {
    return await handle();
  } catch (err) {
    if (err instanceof ConnectionTestFailedError) {
      const body = errorBody(API_ERROR_CODES.mailServerConnectionFailed, ERROR_REASONS.mailServerConnectionFailed, err.message);
      return c.json({ ...body, test: testView(err.result) }, 422);
    }
    if (err instanceof ConnectionTestUnavailableError) {
      return c.json(errorBody(API_ERROR_CODES.connectionTestUnavailable, ERROR_REASONS.mailServerTestUnavailable, err.message), 503);
    }
    throw err;
  }
}
