import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../lambdas/core/errors.ts';
import {
  addressRouteErrors,
  assertValidAddressRoute,
  normalizeAddressRoute,
  referencedFlows,
  type AddressRouteContext,
  type AddressRouteInput,
} from '../../../../lambdas/core/routing/address-route-rules.ts';

const ctx: AddressRouteContext = {
  domains: ['support.example.com', 'example.org'],
  configuredAddresses: new Set(['sales@example.org']),
  queues: new Set(['default', 'billing']),
  flows: new Set(['triage', 'spam-review']),
};

const route = (over: Partial<AddressRouteInput> = {}): AddressRouteInput => ({
  address: 'help@support.example.com',
  fromName: 'Example Support',
  fromAddress: 'help@support.example.com',
  bcc: [],
  routing: { kind: 'queue', queueId: 'billing', skills: ['billing'], language: 'ja', priority: 10 },
  ...over,
});

describe('address route rules (ADR-1..3)', () => {
  it('accepts a queue route, a flow route and an outbound-only route', () => {
    expect(addressRouteErrors(route(), ctx)).toEqual({});
    expect(addressRouteErrors(route({ routing: { kind: 'flow', flowId: 'triage' }, spamRouting: { kind: 'flow', flowId: 'spam-review' } }), ctx)).toEqual({});
    expect(addressRouteErrors(route({ routing: { kind: 'none' }, spamRouting: { kind: 'disconnect' } }), ctx)).toEqual({});
  });

  it('requires the address to be on one of the organisation domains', () => {
    expect(addressRouteErrors(route({ address: 'help@elsewhere.test', fromAddress: 'sales@example.org' }), ctx)).toEqual({
      address: "must be on one of the organisation's domains (support.example.com, example.org)",
    });
    expect(addressRouteErrors(route({ address: 'not an address', fromAddress: 'sales@example.org' }), ctx).address).toBe('must be an e-mail address');
  });

  it('requires the from address to be a configured address or the address itself', () => {
    expect(addressRouteErrors(route({ fromAddress: 'sales@example.org' }), ctx)).toEqual({});
    expect(addressRouteErrors(route({ fromAddress: 'ceo@example.org' }), ctx)).toEqual({
      fromAddress: 'must be a configured address of the organisation (this address or another address route)',
    });
  });

  it('checks from name, reply-to and at most 5 distinct BCC recipients', () => {
    const six = ['a', 'b', 'c', 'd', 'e', 'f'].map((n) => `${n}@audit.test`);
    const errors = addressRouteErrors(normalizeAddressRoute(route({ fromName: 'Bad\r\nBcc: x', replyTo: 'nope', bcc: six })), ctx);
    expect(errors).toEqual({
      fromName: 'must be one line without control characters (found U+000D at position 4)',
      replyTo: 'must be an e-mail address',
      bcc: 'at most 5 distinct BCC recipients',
    });
    // Duplicates differing in case are one recipient.
    const dupes = normalizeAddressRoute(route({ bcc: [...six.slice(0, 5), 'A@Audit.test'] }));
    expect(dupes.bcc).toHaveLength(5);
    expect(addressRouteErrors(dupes, ctx)).toEqual({});
    expect(addressRouteErrors(route({ bcc: ['x'] }), ctx).bcc).toBe('must list e-mail addresses');
  });

  it.each([
    ['NEL', 'Support\u0085Team', 'U+0085'],
    ['U+2028', 'Support\u2028Team', 'U+2028'],
    ['NUL', 'Support\u0000', 'U+0000'],
    ['a tab', 'Support\tTeam', 'U+0009'],
  ])('refuses a from name with %s (issue 11 item 6), naming the character', (_what, fromName, cp) => {
    const errors = addressRouteErrors(normalizeAddressRoute(route({ fromName })), ctx);
    expect(Object.keys(errors)).toEqual(['fromName']);
    expect(errors.fromName).toContain(cp);
  });

  it('refuses a from name that reads as an address list, and keeps a name with a comma', () => {
    expect(addressRouteErrors(route({ fromName: '"Bank" <ceo@bank.example>, Evil' }), ctx)).toEqual({
      fromName: "must be a name, not an address: no '@', '<' or '>'",
    });
    expect(addressRouteErrors(route({ fromName: 'Kundenservice, Müller GmbH' }), ctx)).toEqual({});
  });

  it('refuses reply-to and BCC addresses holding NUL, NEL or other controls', () => {
    expect(addressRouteErrors(route({ replyTo: 'help\u0085x@example.org' }), ctx)).toEqual({ replyTo: 'must be an e-mail address' });
    expect(addressRouteErrors(route({ bcc: ['audit\u0000@audit.test'] }), ctx)).toEqual({ bcc: 'must list e-mail addresses' });
  });

  it('checks the queue target: queue exists, skills are slugs, ISO 639-1 language, bounded integer priority', () => {
    const errors = addressRouteErrors(
      route({ routing: { kind: 'queue', queueId: 'nope', skills: ['Billing Team'], language: 'jpn', priority: 1.5 } }),
      ctx,
    );
    expect(errors).toEqual({
      'routing.queueId': 'queue nope does not exist',
      'routing.skills': 'must be a slug: 1-64 lower-case letters, digits and inner hyphens',
      'routing.language': 'must be an ISO 639-1 code such as en, de or ja',
      'routing.priority': 'must be an integer between -1000000 and 1000000',
    });
    const tooHigh = route({ routing: { kind: 'queue', queueId: 'default', skills: [], priority: 2_000_000 } });
    expect(addressRouteErrors(tooHigh, ctx)).toEqual({ 'routing.priority': 'must be an integer between -1000000 and 1000000' });
    expect(() => assertValidAddressRoute(tooHigh, ctx)).toThrow(
      expect.objectContaining({ code: 'validation', fields: { 'routing.priority': 'must be an integer between -1000000 and 1000000' } }),
    );
  });

  it('checks that routed and spam flows exist', () => {
    expect(addressRouteErrors(route({ routing: { kind: 'flow', flowId: 'gone' }, spamRouting: { kind: 'flow', flowId: 'gone-too' } }), ctx)).toEqual({
      'routing.flowId': 'flow gone does not exist',
      'spamRouting.flowId': 'flow gone-too does not exist',
    });
  });

  it('throws a ValidationError carrying every field message', () => {
    const failure = (() => {
      try {
        assertValidAddressRoute(route({ address: 'x@elsewhere.test', routing: { kind: 'flow', flowId: 'gone' } }), ctx);
      } catch (err) {
        return err;
      }
    })();
    expect(failure).toBeInstanceOf(ValidationError);
    expect(Object.keys((failure as ValidationError).fields).sort()).toEqual(['address', 'fromAddress', 'routing.flowId']);
  });

  it('normalizes addresses to lower case and names the flows a route uses', () => {
    const n = normalizeAddressRoute(route({ address: ' Help@Support.Example.com ', fromAddress: 'HELP@support.example.com', replyTo: 'Desk@Example.org' }));
    expect([n.address, n.fromAddress, n.replyTo]).toEqual(['help@support.example.com', 'help@support.example.com', 'desk@example.org']);
    expect(referencedFlows({ routing: { kind: 'flow', flowId: 'triage' }, spamRouting: { kind: 'flow', flowId: 'spam-review' } })).toEqual(['triage', 'spam-review']);
    expect(referencedFlows({ routing: { kind: 'none' } })).toEqual([]);
  });
});
