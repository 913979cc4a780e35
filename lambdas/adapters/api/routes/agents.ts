/**
 * Agents and their work: register, list, show, remove; `next` (claim the best interaction the
 * agent may take) and the agent's claimed interactions. Field checks happen here; eligibility and
 * claims are core's and the store's.
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { ACD_LIMITS } from '../../../core/agents/limits.ts';
import type { AcdDeps } from '../../../core/agents/ports.ts';
import { removeAgent } from '../../../core/agents/removal.ts';
import { ConflictError, NotFoundError, ValidationError } from '../../../core/errors.ts';
import { ERROR_REASONS } from '../../../core/error-reasons.ts';
import { ISO_639_1_CODES, LANGUAGE_CODE_MESSAGE } from '../../../core/languages.ts';
import type { ApiDeps } from '../deps.ts';
import { idParams, pageQuery } from '../params.ts';
import { interactionView } from '../views.ts';
import { queueIdSchema } from './queue-schemas.ts';
import { jsonBody, parseBody, parseParams, typeError } from '../validation.ts';
import type { Agent } from '../../../core/agents/model.ts';

/** Agent ids go into keys, URLs and trails: short tokens. */
export const AGENT_LIMITS = { maxIdChars: 64, maxNameChars: 100, maxSkillChars: 64 } as const;

const token = z
  .string()
  .check(
    z.trim(),
    z.toLowerCase(),
    z.regex(new RegExp(`^[a-z0-9][a-z0-9._-]{0,${AGENT_LIMITS.maxSkillChars - 1}}$`), `must be 1-${AGENT_LIMITS.maxSkillChars} letters, digits, '.', '_' or '-'`),
  );

/** A language the agent speaks: a real ISO 639-1 code (core/languages.ts), not just two letters. */
const language = z.pipe(z.string().check(z.trim(), z.toLowerCase()), z.enum(ISO_639_1_CODES, LANGUAGE_CODE_MESSAGE));

const agentBody = z.strictObject({
  id: z
    .string()
    .check(z.regex(new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${AGENT_LIMITS.maxIdChars - 1}}$`), `must be 1-${AGENT_LIMITS.maxIdChars} letters, digits, '.', '_' or '-'`)),
  name: z
    .string()
    .check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(AGENT_LIMITS.maxNameChars, `must be at most ${AGENT_LIMITS.maxNameChars} characters`)),
  skills: z._default(
    z.array(token, typeError('must be an array of strings')).check(z.maxLength(ACD_LIMITS.maxSkills, `at most ${ACD_LIMITS.maxSkills} skills`)),
    [],
  ),
  languages: z
    .array(language, typeError('must be an array of ISO 639-1 codes'))
    .check(
      z.minLength(1, 'must name at least one language (ISO 639-1, e.g. en)'),
      z.maxLength(ACD_LIMITS.maxLanguages, `at most ${ACD_LIMITS.maxLanguages} languages`),
    ),
  queues: z
    .array(queueIdSchema, typeError('must be an array of queue ids'))
    .check(z.minLength(1, 'must name at least one queue'), z.maxLength(ACD_LIMITS.maxAgentQueues, `at most ${ACD_LIMITS.maxAgentQueues} queues`)),
});

/** The body of `PUT /agents/:id`: everything but the id, which the path names. */
const agentUpdateBody = z.omit(agentBody, { id: true });

const unique = (values: readonly string[]): string[] => [...new Set(values)];

/**
 * `POST|GET /agents`, `GET|PUT|DELETE /agents/:id` (removal releases what the agent holds and answers
 * `{ agentId, released }`), `POST /agents/:id/next`, `GET /agents/:id/interactions`.
 */
export function agentRoutes(acd: AcdDeps, deps: Pick<ApiDeps, 'queues' | 'now'>): Hono {
  const routes = new Hono();

  const agentOr404 = async (id: string): Promise<Agent> => {
    const agent = await acd.agents.get(id);
    if (!agent) throw new NotFoundError(ERROR_REASONS.agentNotFound, 'agent', id);
    return agent;
  };

  /** The distinct queue ids, all of them existing queues. */
  const existingQueues = async (ids: readonly string[]): Promise<string[]> => {
    const queues = unique(ids);
    const known = new Set((await deps.queues.list()).map((q) => q.id));
    const missing = queues.filter((q) => !known.has(q));
    if (missing.length) throw new ValidationError({ queues: `must be existing queues; unknown: ${missing.join(', ')}` }, {}, { queues: ERROR_REASONS.queueNotFound });
    return queues;
  };

  routes.post('/agents', async (c) => {
    const body = parseBody(agentBody, await jsonBody(c.req));
    const queues = await existingQueues(body.queues);
    const agent: Agent = {
      id: body.id,
      name: body.name,
      skills: unique(body.skills),
      languages: unique(body.languages),
      queues,
      createdAt: deps.now().toISOString(),
    };
    if ((await acd.agents.create(agent)) === 'exists') throw new ConflictError(ERROR_REASONS.agentIdTaken, `agent ${agent.id} already exists`, { id: 'is taken by a registered agent' });
    return c.json({ agent }, 201);
  });

  routes.get('/agents', async (c) => c.json({ agents: await acd.agents.list() }));

  routes.get('/agents/:id', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    return c.json({ agent: await agentOr404(id) });
  });

  // An update keeps the agent and what it holds (issue 12 item 4); removal would release its claims.
  routes.put('/agents/:id', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    const body = parseBody(agentUpdateBody, await jsonBody(c.req));
    const current = await agentOr404(id);
    const agent: Agent = { ...current, name: body.name, skills: unique(body.skills), languages: unique(body.languages), queues: await existingQueues(body.queues) };
    if (!(await acd.agents.update(agent))) throw new NotFoundError(ERROR_REASONS.agentNotFound, 'agent', id);
    return c.json({ agent });
  });

  routes.delete('/agents/:id', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    const { released } = await removeAgent({ agents: acd.agents, queues: deps.queues, claims: acd.claims }, id, deps.now());
    return c.json({ agentId: id, released });
  });

  routes.post('/agents/:id/next', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    const agent = await agentOr404(id);
    const now = deps.now();
    const claimed = await acd.claims.next(agent, now);
    if (!claimed) return c.body(null, 204);
    return c.json({ interaction: interactionView(claimed, now) });
  });

  routes.get('/agents/:id/interactions', async (c) => {
    const { id } = parseParams(idParams, c.req.param());
    const { limit, cursor } = parseParams(pageQuery, c.req.query());
    await agentOr404(id);
    const page = await acd.claims.listClaimed(id, limit, cursor);
    const now = deps.now();
    return c.json({ agentId: id, interactions: page.items.map((i) => interactionView(i, now)), ...(page.cursor !== undefined && { cursor: page.cursor }) });
  });

  return routes;
}
