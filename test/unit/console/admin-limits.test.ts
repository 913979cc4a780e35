/**
 * The limits the console's admin forms show are the ones the API enforces: each form keeps its own
 * copy (the browser bundle imports nothing from lambdas/), and this test fails when one drifts.
 */
import { describe, expect, it } from 'vitest';
import { AGENT_LIMITS } from '../../../lambdas/adapters/api/routes/agents.ts';
import { ACD_LIMITS } from '../../../lambdas/core/agents/limits.ts';
import { MAIL_SERVER_LIMITS } from '../../../lambdas/core/mailboxes/server.ts';
import { AGENT_FORM_LIMITS } from '../../../console/src/features/admin-agents/api/limits.ts';
import { SERVER_FORM_LIMITS } from '../../../console/src/features/admin-servers/api/limits.ts';

describe('admin form limits', () => {
  it('mail servers: the seed\'s 200/250/70/255 characters and 100 senders', () => {
    expect(SERVER_FORM_LIMITS).toEqual(MAIL_SERVER_LIMITS);
  });

  it('agents: id, name, skill lengths and the skill, language and queue counts', () => {
    expect(AGENT_FORM_LIMITS).toEqual({
      maxIdChars: AGENT_LIMITS.maxIdChars,
      maxNameChars: AGENT_LIMITS.maxNameChars,
      maxSkillChars: AGENT_LIMITS.maxSkillChars,
      maxSkills: ACD_LIMITS.maxSkills,
      maxLanguages: ACD_LIMITS.maxLanguages,
      maxAgentQueues: ACD_LIMITS.maxAgentQueues,
    });
  });
});
