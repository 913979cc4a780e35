/**
 * The console's users (issue 12 item 1): list, create (a temporary password is answered once when
 * none is given), change role or enabled, reset the password (a new temporary one, answered once),
 * remove. Admin only (core/access route policy). Users are
 * not agents: removing a user leaves its agent record (if any) to `DELETE /agents/:id`.
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { ROLES } from '../../../../contract/console.ts';
import { PASSWORD_LIMITS, USERNAME_PATTERN, type UserDirectory } from '../../../core/access/user-directory.ts';
import { NotFoundError, ValidationError } from '../../../core/errors.ts';
import { ERROR_REASONS } from '../../../core/error-reasons.ts';
import { jsonBody, parseBody, parseParams } from '../validation.ts';

/** RFC 5321's limit on a forward path; longer is no deliverable address. */
const MAX_EMAIL_CHARS = 254;

const USERNAME_MESSAGE = "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit (the agent id syntax)";
const ROLE_MESSAGE = `must be one of ${ROLES.join(', ')}`;

const username = z.string().check(z.regex(USERNAME_PATTERN, USERNAME_MESSAGE));
const role = z.enum(ROLES, ROLE_MESSAGE);

const createBody = z.strictObject({
  username,
  role,
  email: z.optional(
    z.string().check(z.trim(), z.maxLength(MAX_EMAIL_CHARS, `must be at most ${MAX_EMAIL_CHARS} characters`), z.regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an e-mail address')),
  ),
  password: z.optional(
    z
      .string()
      .check(
        z.minLength(PASSWORD_LIMITS.minChars, `must be at least ${PASSWORD_LIMITS.minChars} characters`),
        z.maxLength(PASSWORD_LIMITS.maxChars, `must be at most ${PASSWORD_LIMITS.maxChars} characters`),
      ),
  ),
});

const updateBody = z.strictObject({
  role: z.optional(role),
  enabled: z.optional(z.boolean('must be true or false')),
});

const usernameParams = z.object({ username });

/** `GET|POST /users`, `PATCH|DELETE /users/:username`, `POST /users/:username/reset-password`. */
export function userRoutes(users: UserDirectory): Hono {
  const routes = new Hono();

  routes.get('/users', async (c) => c.json({ users: await users.list() }));

  routes.post('/users', async (c) => {
    const body = parseBody(createBody, await jsonBody(c.req));
    const created = await users.create(body);
    // The answer may carry a temporary password: no cache keeps it.
    return c.json(created, 201, { 'cache-control': 'no-store' });
  });

  routes.patch('/users/:username', async (c) => {
    const { username: name } = parseParams(usernameParams, c.req.param());
    const changes = parseBody(updateBody, await jsonBody(c.req));
    if (changes.role === undefined && changes.enabled === undefined) throw new ValidationError({ body: 'must change role or enabled' });
    const user = await users.update(name, changes);
    if (!user) throw new NotFoundError(ERROR_REASONS.userNotFound, 'user', name);
    return c.json({ user });
  });

  routes.post('/users/:username/reset-password', async (c) => {
    const { username: name } = parseParams(usernameParams, c.req.param());
    const reset = await users.resetPassword(name);
    if (!reset) throw new NotFoundError(ERROR_REASONS.userNotFound, 'user', name);
    // The answer carries the temporary password: no cache keeps it.
    return c.json(reset, 200, { 'cache-control': 'no-store' });
  });

  routes.delete('/users/:username', async (c) => {
    const { username: name } = parseParams(usernameParams, c.req.param());
    if (!(await users.remove(name))) throw new NotFoundError(ERROR_REASONS.userNotFound, 'user', name);
    return c.json({ username: name });
  });

  return routes;
}
