/**
 * The limits the console's admin forms show are the ones the API enforces: each form keeps its own
 * copy (the browser bundle imports nothing from lambdas/), and this test fails when one drifts.
 */
import { describe, expect, it } from 'vitest';
import { AGENT_LIMITS } from '../../../lambdas/adapters/api/routes/agents.ts';
import { ACD_LIMITS, QUEUE_LIMITS } from '../../../lambdas/core/agents/limits.ts';
import { ADDRESS_LIMITS } from '../../../lambdas/core/routing/address-route-rules.ts';
import { MAX_ADDRESS_BCC } from '../../../lambdas/core/routing/model.ts';
import { FLOW_LIMITS } from '../../../lambdas/core/routing/flow.ts';
import { SMTP_INTEGRATION_LIMITS } from '../../../lambdas/core/outbound/smtp-integration.ts';
import { MAIL_SERVER_LIMITS } from '../../../lambdas/core/mailboxes/server.ts';
import { AGENT_FORM_LIMITS } from '../../../console/src/features/admin-agents/api/limits.ts';
import { SERVER_FORM_LIMITS } from '../../../console/src/features/admin-servers/api/limits.ts';
import { QUEUE_FORM_LIMITS } from '../../../console/src/features/admin-queues/api/queues.ts';
import { ADDRESS_FORM_LIMITS } from '../../../console/src/features/admin-addresses/api/addresses.ts';
import { FLOW_FORM_LIMITS } from '../../../console/src/features/admin-flows/api/limits.ts';
import { SMTP_FORM_LIMITS } from '../../../console/src/features/admin-outbound/api/smtp-integrations.ts';

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

  it('queues: id, name and description lengths', () => {
    expect(QUEUE_FORM_LIMITS).toEqual(QUEUE_LIMITS);
  });

  it('SMTP integrations: 20 per organisation, 1-1000 messages a minute', () => {
    expect(SMTP_FORM_LIMITS).toEqual(SMTP_INTEGRATION_LIMITS);
  });

  it('flows and templates: id, name, description, rule count, subject and body lengths', () => {
    for (const [key, value] of Object.entries(FLOW_FORM_LIMITS)) expect([key, value]).toEqual([key, FLOW_LIMITS[key as keyof typeof FLOW_LIMITS]]);
  });

  it('addresses: address and From name lengths, 5 fixed BCC', () => {
    expect(ADDRESS_FORM_LIMITS).toEqual({ ...ADDRESS_LIMITS, maxBcc: MAX_ADDRESS_BCC });
  });
});
