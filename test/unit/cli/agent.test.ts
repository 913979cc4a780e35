import { describe, expect, it } from 'vitest';
import { formatAgentRemoved, formatAgents, formatClaimed } from '../../../lambdas/cli/commands/agent.ts';
import type { InteractionJson } from '../../../lambdas/cli/context.ts';

describe('agent command output', () => {
  it('lists agents as a table, with "-" for no skills', () => {
    const text = formatAgents([
      { id: 'anna', name: 'Anna', skills: ['billing', 'vip'], languages: ['en', 'de'], queues: ['support'], createdAt: '' },
      { id: 'bo', name: 'Bo', skills: [], languages: ['ja'], queues: ['support', 'billing'], createdAt: '' },
    ]);
    expect(text.split('\n')).toEqual([
      'ID    NAME  SKILLS       LANGUAGES  QUEUES',
      'anna  Anna  billing,vip  en,de      support',
      'bo    Bo    -            ja         support,billing',
    ]);
  });

  it('shows a claimed interaction with the score it had when claimed, and no terminal escapes', () => {
    const claimed = {
      id: 'i-1',
      state: 'claimed',
      queueId: 'billing',
      priority: 20,
      enqueuedAt: '2026-11-23T09:06:00.000Z',
      claimedAt: '2026-11-23T09:10:00.000Z',
      message: { subject: 'Refund\u001b[31m now', from: { address: 'a@c.test' } },
    } as unknown as InteractionJson;
    expect(formatClaimed(claimed)).toBe('Claimed i-1 from queue billing (priority 20, score 24, waited 4m)\n  From:    a@c.test\n  Subject: Refund [31m now');
  });

  it('says how many interactions went back to their queues when an agent is removed', () => {
    expect(formatAgentRemoved('anna', 0)).toBe('Removed agent anna; released 0 interactions back to their queues.');
    expect(formatAgentRemoved('anna', 1)).toBe('Removed agent anna; released 1 interaction back to its queue.');
    expect(formatAgentRemoved('bo\u001b[2J', 3)).toBe('Removed agent bo [2J; released 3 interactions back to their queues.');
  });
});
