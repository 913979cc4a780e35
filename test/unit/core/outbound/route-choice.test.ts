import { describe, expect, it } from 'vitest';
import { chooseRoute } from '../../../../lambdas/core/outbound/route-choice.ts';
import type { SmtpIntegration } from '../../../../lambdas/core/outbound/outbound-ports.ts';

const integration = (over: Partial<SmtpIntegration>): SmtpIntegration => ({
  serverId: 's1', name: 'Office', enabled: true, senders: ['help@shop.test'], role: 'agent', state: 'valid', messagesPerMinute: 30, ...over,
});

describe('chooseRoute', () => {
  it('sends through SES when the From domain is verified, even when an SMTP server owns the address', () => {
    expect(chooseRoute('Help@Shop.test', 'reply', { sesVerified: true, integrations: [integration({})] })).toMatchObject({ kind: 'ses', identity: 'shop.test' });
  });
  it('sends through the SMTP server whose user or additional senders match when the domain is not verified', () => {
    const other = integration({ serverId: 's0', senders: ['sales@shop.test'] });
    expect(chooseRoute('help@shop.test', 'reply', { sesVerified: false, integrations: [other, integration({})] })).toMatchObject({ kind: 'smtp', serverId: 's1' });
  });
  it('still chooses an integration in error (the sender holds the mail there)', () => {
    expect(chooseRoute('help@shop.test', 'new', { sesVerified: false, integrations: [integration({ state: 'error' })] })).toMatchObject({ kind: 'smtp' });
  });
  it('skips disabled integrations and says there is no route', () => {
    const route = chooseRoute('help@shop.test', 'reply', { sesVerified: false, integrations: [integration({ enabled: false })] });
    expect(route).toMatchObject({ kind: 'none', reason: 'no-route-for-sender' });
    expect(route.kind === 'none' && route.detail).toContain('help@shop.test');
  });
  it('names a disabled SMTP server that sends as the address, and its last error', () => {
    const off = integration({ serverId: 's9', name: 'Office', enabled: false, problem: { source: 'server', reason: 'tcp', detail: 'connection refused' } });
    const route = chooseRoute('help@shop.test', 'reply', { sesVerified: false, integrations: [off] });
    expect(route).toMatchObject({ kind: 'none', reason: 'no-route-for-sender' });
    expect(route.kind === 'none' && route.detail).toContain('the SMTP server "Office" that sends as help@shop.test is disabled (its last error: connection refused)');
    expect(route.kind === 'none' && route.detail).toContain('postroom server update s9 --enable');
  });
  it('sends template mail through the template server, also when SES is verified', () => {
    const template = integration({ serverId: 't', role: 'template', senders: ['noreply@shop.test'] });
    expect(chooseRoute('noreply@shop.test', 'notification', { sesVerified: true, integrations: [template] })).toMatchObject({ kind: 'smtp', serverId: 't' });
    expect(chooseRoute('help@shop.test', 'notification', { sesVerified: true, integrations: [template] })).toMatchObject({ kind: 'none', reason: 'sender-not-allowed' });
  });
  it('sends template mail through SES when no template server is set', () => {
    expect(chooseRoute('noreply@shop.test', 'notification', { sesVerified: true, integrations: [integration({})] })).toMatchObject({ kind: 'ses' });
  });
});
