import { describe, expect, it } from 'vitest';
import { addressBody, describeRouting, formatAddressList } from '../../../lambdas/cli/commands/address.ts';
import { formatFlow } from '../../../lambdas/cli/commands/flow.ts';
import { CliError } from '../../../lambdas/cli/errors.ts';
import type { EmailAddressRoute } from '../../../lambdas/core/routing/model.ts';

const existing: EmailAddressRoute = {
  address: 'help@example.test',
  fromName: 'Support',
  fromAddress: 'help@example.test',
  bcc: ['audit@example.test'],
  routing: { kind: 'queue', queueId: 'billing', skills: ['billing'], language: 'ja', priority: 10 },
  spamRouting: { kind: 'disconnect' },
  createdAt: '2026-11-23T09:00:00.000Z',
  updatedAt: '2026-11-23T09:00:00.000Z',
};

describe('address command options', () => {
  it('builds a queue route from add options, leaving the from address to the API', () => {
    expect(addressBody({ fromName: 'Support', queue: 'billing', skill: ['billing', 'ja'], language: 'ja', priority: '20', bcc: ['a@x.test'], spamFlow: 'spam' })).toEqual({
      fromName: 'Support',
      bcc: ['a@x.test'],
      routing: { kind: 'queue', queueId: 'billing', skills: ['billing', 'ja'], language: 'ja', priority: 20 },
      spamRouting: { kind: 'flow', flowId: 'spam' },
    });
    expect(addressBody({ fromName: 'Out', routing: false }).routing).toEqual({ kind: 'none' });
    expect(addressBody({ fromName: 'F', flow: 'triage', spamDisconnect: true })).toMatchObject({ routing: { kind: 'flow', flowId: 'triage' }, spamRouting: { kind: 'disconnect' } });
  });

  it('update changes only what its options name', () => {
    expect(addressBody({ priority: '-5' }, existing)).toEqual({
      fromName: 'Support',
      fromAddress: 'help@example.test',
      bcc: ['audit@example.test'],
      routing: { kind: 'queue', queueId: 'billing', skills: ['billing'], language: 'ja', priority: -5 },
      spamRouting: { kind: 'disconnect' },
    });
    expect(addressBody({ spamRouting: false, flow: 'triage' }, existing)).toMatchObject({ routing: { kind: 'flow', flowId: 'triage' } });
    expect(addressBody({ spamRouting: false }, existing).spamRouting).toBeUndefined();
  });

  it('refuses contradictory or incomplete options with a usage error', () => {
    expect(() => addressBody({ fromName: 'x', queue: 'q', flow: 'f' })).toThrow(new CliError('use one of --queue, --flow or --no-routing'));
    expect(() => addressBody({ fromName: 'x', flow: 'f', spamFlow: 's', spamDisconnect: true })).toThrow(CliError);
    expect(() => addressBody({ fromName: 'x', queue: 'q', priority: 'high' })).toThrow(new CliError('--priority must be an integer'));
    expect(() => addressBody({ fromName: 'x', skill: ['a'] })).toThrow(new CliError('--skill, --language and --priority need --queue'));
    expect(() => addressBody({ fromName: 'x' })).toThrow(new CliError('say where mail goes: --queue <id>, --flow <id> or --no-routing'));
  });

  it('describes routes in a table and flows rule by rule', () => {
    expect(describeRouting(existing.routing)).toBe('queue billing (skills billing, language ja, priority 10)');
    expect(formatAddressList([existing]).split('\n')).toEqual([
      'ADDRESS            FROM                         ROUTING                                                   SPAM',
      'help@example.test  Support <help@example.test>  queue billing (skills billing, language ja, priority 10)  disconnect',
    ]);
    const text = formatFlow({
      id: 'triage',
      version: 2,
      createdAt: '2026-11-23T09:00:00.000Z',
      name: 'Triage',
      rules: [{ name: 'refunds', when: [{ field: 'header', header: 'x-prio', op: 'exists', not: true }], then: [{ type: 'setQueue', queueId: 'billing' }], stop: true }],
    });
    expect(text.split('\n')).toEqual([
      'Flow triage version 2: Triage',
      '  Created: 2026-11-23T09:00:00.000Z',
      '  1. refunds [stop]',
      '     when not header x-prio exists',
      '     then setQueue {"queueId":"billing"}',
    ]);
  });
});
