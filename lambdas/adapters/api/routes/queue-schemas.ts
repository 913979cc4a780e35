/**
 * Request schemas of queues (`POST /queues`, and queue ids in agents' and transfer bodies): one
 * definition of a queue id for every route that names a queue.
 */
import * as z from 'zod/mini';
import { QUEUE_LIMITS } from '../../../core/agents/limits.ts';

/** A queue id; a missing one `is required`, a wrong type `must be a string` (validation.ts). */
export const queueIdSchema = z.string().check(
  z.regex(
    new RegExp(`^[a-z0-9](?:[a-z0-9-]{0,${QUEUE_LIMITS.maxIdChars - 2}}[a-z0-9])?$`),
    `must be a lower-case slug: letters a-z, digits and '-', 1-${QUEUE_LIMITS.maxIdChars} characters, not starting or ending with '-'`,
  ),
);

/** The body of `POST /queues`. */
export const queueBody = z.strictObject({
  id: queueIdSchema,
  name: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(QUEUE_LIMITS.maxNameChars, `must be at most ${QUEUE_LIMITS.maxNameChars} characters`)),
  description: z.optional(z.string().check(z.trim(), z.maxLength(QUEUE_LIMITS.maxDescriptionChars, `must be at most ${QUEUE_LIMITS.maxDescriptionChars} characters`))),
});
