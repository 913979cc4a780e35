import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAIL_SERVER_PORTS,
  defaultPort,
  duplicateMailServer,
  isInboundType,
  mailServerSecretRef,
  newMailServer,
} from '../../../../lambdas/core/mailboxes/server.ts';
import { imapServerSettings, mailServerRecord } from '../../../support/mail-servers.ts';

describe('mail server model', () => {
  it('defaults the port by type and TLS (IMAP 143/993, POP3 110/995, SMTP 587/465)', () => {
    const ports = (['imap', 'pop3', 'smtp'] as const).map((type) => [type, defaultPort(type, false), defaultPort(type, true)]);
    expect(ports).toEqual([
      ['imap', 143, 993],
      ['pop3', 110, 995],
      ['smtp', 587, 465],
    ]);
    expect(DEFAULT_MAIL_SERVER_PORTS.smtp).toEqual({ tls: 465, plain: 587 });
  });

  it('polls POP3 and IMAP, sends through SMTP', () => {
    expect([isInboundType('pop3'), isInboundType('imap'), isInboundType('smtp')]).toEqual([true, true, false]);
  });

  it('names secrets under one prefix a single IAM policy covers', () => {
    expect(mailServerSecretRef('srv-1')).toBe('postroom/mail-servers/srv-1');
  });

  it('creates a record whose state follows enabled, with the secret reference and timestamps', () => {
    // Act
    const enabled = newMailServer(imapServerSettings(), 'srv-1', '2026-11-23T09:00:00.000Z', 'postroom/mail-servers/srv-1');
    const disabled = newMailServer(imapServerSettings({ enabled: false }), 'srv-2', '2026-11-23T09:00:00.000Z');

    // Assess
    expect(enabled).toMatchObject({ id: 'srv-1', state: 'ok', secretRef: 'postroom/mail-servers/srv-1', createdAt: '2026-11-23T09:00:00.000Z', updatedAt: '2026-11-23T09:00:00.000Z' });
    expect(disabled.state).toBe('disabled');
    expect(disabled).not.toHaveProperty('secretRef');
  });
});

describe('duplicateMailServer', () => {
  it('copies the settings under the new name, disabled, as an agent server, without secret, id, health or timestamps', () => {
    // Prepare: an enabled SMTP template server with a secret, health and additional senders.
    const original = mailServerRecord({
      type: 'smtp',
      host: 'smtp.example.com',
      port: 465,
      imapFolder: undefined,
      routing: undefined,
      role: 'template',
      additionalSenders: ['noreply@example.com'],
      state: 'error',
      lastError: 'authentication failed',
      lastSuccessAt: '2026-11-23T08:00:00.000Z',
    });

    // Act
    const copy = duplicateMailServer(original, 'Outbound (copy)');

    // Assess
    expect(copy).toEqual({
      type: 'smtp',
      name: 'Outbound (copy)',
      description: '',
      host: 'smtp.example.com',
      port: 465,
      tls: true,
      requireStartTls: false,
      authType: 'basic',
      user: 'support@example.com',
      disableCompression: false,
      additionalSenders: ['noreply@example.com'],
      role: 'agent',
      enabled: false,
    });
    expect(JSON.stringify(copy)).not.toContain('postroom/mail-servers/');
    expect(original).toMatchObject({ name: 'Support mailbox', enabled: true, role: 'template', secretRef: 'postroom/mail-servers/srv-1' });
  });
});
