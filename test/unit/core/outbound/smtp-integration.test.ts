import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../../lambdas/core/errors.ts';
import {
  applySmtpIntegrationUpdate,
  defaultSmtpIntegrationRecord,
  resetsSmtpIntegration,
  sendersOf,
  smtpIntegrationOf,
} from '../../../../lambdas/core/outbound/smtp-integration.ts';
import { smtpIntegrationHealth } from '../../../../lambdas/core/outbound/smtp-integration-status.ts';
import { imapServerSettings, mailServerRecord } from '../../../support/mail-servers.ts';

const AT = '2026-11-27T00:00:00.000Z';
const base = defaultSmtpIntegrationRecord('s-1', AT);
const smtp = (over = {}) => mailServerRecord({ ...imapServerSettings({ type: 'smtp', routing: undefined }), imapFolder: undefined, id: 's-1', ...over });

function reasons(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return { ...err.fieldReasons };
    throw err;
  }
  return {};
}

describe('SMTP integration settings', () => {
  it('defaults to 30 per minute (Microsoft 365, the strictest preset), valid', () => {
    expect(base).toMatchObject({ messagesPerMinute: 30, preset: 'custom', state: 'valid' });
  });

  it('sets a preset rate, a custom rate, and keeps the rest', () => {
    expect(applySmtpIntegrationUpdate(base, { preset: 'microsoft365' }, AT)).toMatchObject({ preset: 'microsoft365', messagesPerMinute: 30 });
    expect(applySmtpIntegrationUpdate(base, { messagesPerMinute: 1000 }, AT)).toMatchObject({ preset: 'custom', messagesPerMinute: 1000 });
    expect(applySmtpIntegrationUpdate({ ...base, messagesPerMinute: 7 }, { preset: 'custom' }, AT).messagesPerMinute).toBe(7);
    expect(applySmtpIntegrationUpdate(base, { preset: 'microsoft365', messagesPerMinute: 30 }, AT).preset).toBe('microsoft365');
  });

  it('refuses rates outside 1..1000 and a preset with another rate, per field', () => {
    for (const rate of [0, 1001, 2.5, Number.NaN]) expect(reasons(() => applySmtpIntegrationUpdate(base, { messagesPerMinute: rate }, AT))).toEqual({ messagesPerMinute: 'smtp-integration.rate-invalid' });
    expect(reasons(() => applySmtpIntegrationUpdate(base, { preset: 'microsoft365', messagesPerMinute: 60 }, AT))).toEqual({ messagesPerMinute: 'smtp-integration.preset-conflict' });
  });

  it('joins a server with its record: senders are the user (an address) and the additional senders', () => {
    expect(sendersOf({ user: 'relay-user', additionalSenders: ['A@Example.com'] })).toEqual(['a@example.com']);
    const integration = smtpIntegrationOf(smtp({ user: 'Out@Example.com', additionalSenders: ['out@example.com'] }), { ...base, state: 'error', lastError: { reason: 'smtp.authentication-failed', detail: '535', at: AT } });
    expect(integration).toMatchObject({ serverId: 's-1', senders: ['out@example.com'], state: 'error', messagesPerMinute: 30 });
  });
});

describe('the reset rule (OUT-5)', () => {
  const on = smtp({ enabled: true });
  const off = smtp({ enabled: false });

  it('resets on changed credentials or on turning the server on', () => {
    expect(resetsSmtpIntegration({ previous: on, saved: on, credentialsChanged: true })).toBe(true);
    expect(resetsSmtpIntegration({ previous: off, saved: on, credentialsChanged: false })).toBe(true);
  });

  it('does not reset a save that changed neither, a disabled server, or an inbound one', () => {
    expect(resetsSmtpIntegration({ previous: on, saved: on, credentialsChanged: false })).toBe(false);
    expect(resetsSmtpIntegration({ previous: on, saved: off, credentialsChanged: true })).toBe(false);
    expect(resetsSmtpIntegration({ previous: undefined, saved: mailServerRecord(), credentialsChanged: true })).toBe(false);
  });
});

describe('an integration\'s one status (the server\'s state joined with the sending state)', () => {
  const valid = { state: 'valid' as const };
  const sendError = { state: 'error' as const, lastError: { reason: 'smtp.authentication-failed', detail: '535 5.7.8', at: AT } };
  const refused = { lastError: 'connection refused', lastErrorReason: 'tcp' };

  it('is disabled with the failed connection test\'s words when the server is disabled, even while sending is valid', () => {
    expect(smtpIntegrationHealth({ enabled: false, state: 'disabled', ...refused }, valid)).toEqual({ status: 'disabled', problem: { source: 'server', reason: 'tcp', detail: 'connection refused' } });
    expect(smtpIntegrationHealth({ enabled: false, state: 'disabled' }, sendError)).toMatchObject({ status: 'disabled', problem: { source: 'sending', at: AT } });
  });

  it('needs re-authentication before a sending error; a sending error before a server error; else ok', () => {
    expect(smtpIntegrationHealth({ enabled: true, state: 'needs-reauth', lastError: 'invalid_grant', lastErrorReason: 'needs-reauth' }, sendError)).toMatchObject({ status: 'needs-reauth', problem: { source: 'server' } });
    expect(smtpIntegrationHealth({ enabled: true, state: 'error', ...refused }, sendError)).toMatchObject({ status: 'error', problem: { source: 'sending' } });
    expect(smtpIntegrationHealth({ enabled: true, state: 'error', ...refused }, valid)).toMatchObject({ status: 'error', problem: { source: 'server', reason: 'tcp' } });
    expect(smtpIntegrationHealth({ enabled: true, state: 'ok' }, valid)).toEqual({ status: 'ok' });
  });

  it('carries the problem on the sender\'s integration too', () => {
    expect(smtpIntegrationOf(smtp({ enabled: false, state: 'disabled', ...refused }), undefined).problem).toEqual({ source: 'server', reason: 'tcp', detail: 'connection refused' });
  });
});
