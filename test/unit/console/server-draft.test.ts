/**
 * The mail server form's body (console/src/features/admin-servers/components/server-draft.ts):
 * what an add sends, what an edit clears, that fields of another type or authentication are not
 * sent, and that an OAuth2 secret never rides in the body.
 */
import { describe, expect, it } from 'vitest';
import { EMPTY_DRAFT, bodyOf, draftOf, secretOf } from '../../../console/src/features/admin-servers/components/server-draft.ts';
import type { MailServerView } from '../../../console/src/features/admin-servers/api/types.ts';

describe('the mail server form', () => {
  it('adds an IMAP server with only what was typed: no empty optional setting, no password when none', () => {
    const body = bodyOf({ ...EMPTY_DRAFT, name: 'Support ✉', host: 'imap.example.com', user: 'support@example.com', routingKind: 'address', routingAddress: 'support@example.com' }, false);
    expect(body).toEqual({
      type: 'imap', name: 'Support ✉', host: 'imap.example.com', tls: true, requireStartTls: false, authType: 'basic', user: 'support@example.com',
      disableCompression: false, routing: { kind: 'address', address: 'support@example.com' }, role: 'agent', enabled: false,
    });
  });

  it('sends a typed port as a number and leaves text that is not one for the API to name', () => {
    expect(bodyOf({ ...EMPTY_DRAFT, port: '1993' }, false).port).toBe(1993);
    expect(bodyOf({ ...EMPTY_DRAFT, port: '99x' }, false).port).toBe('99x');
  });

  it('clears emptied optional settings on edit with null, and keeps the stored password when none is typed', () => {
    const stored: MailServerView = {
      id: 's1', type: 'imap', name: 'A', description: 'old', host: 'h', port: 993, tls: true, requireStartTls: false, authType: 'basic', user: 'u',
      imapFolder: 'Support', disableCompression: false, routing: { kind: 'flow', flowId: 'f' }, additionalSenders: [], role: 'agent', enabled: true,
      state: 'ok', hasSecret: true, updatedAt: '2026-01-01T00:00:00Z',
    };
    const body = bodyOf({ ...draftOf(stored), description: '', imapFolder: '', routingKind: '' }, true);
    expect(body).toMatchObject({ description: null, imapFolder: null, routing: null, port: 993, oauth2: null });
    expect(body).not.toHaveProperty('password');
  });

  it('sends an SMTP server its senders and role, and no inbound settings', () => {
    const body = bodyOf({ ...EMPTY_DRAFT, type: 'smtp', additionalSenders: 'a@example.com\n b@example.com ,', role: 'template', routingKind: 'flow', imapFolder: 'X', backfillDays: '3' }, false);
    expect(body).toMatchObject({ additionalSenders: ['a@example.com', 'b@example.com'], role: 'template' });
    for (const key of ['routing', 'imapFolder', 'backfillDays']) expect(body).not.toHaveProperty(key);
  });

  it('sends OAuth2 settings and keeps the client secret apart from the body', () => {
    const draft = { ...EMPTY_DRAFT, authType: 'oauth2' as const, password: 'never', oauth2ClientId: 'app', oauth2Scopes: 'a  b', clientSecret: 's3cret' };
    const body = bodyOf(draft, false);
    expect(body.oauth2).toEqual({ provider: 'microsoft', flow: 'authorization-code', clientId: 'app', scopes: ['a', 'b'] });
    expect(JSON.stringify(body)).not.toContain('s3cret');
    expect(body).not.toHaveProperty('password');
    expect(secretOf(draft)).toEqual({ clientSecret: 's3cret' });
    expect(secretOf({ ...draft, authType: 'basic' })).toBeUndefined();
  });
});
