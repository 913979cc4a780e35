/**
 * Registry records that point at the test Dovecot, one per protocol and TLS mode, for the tests of
 * the connection adapters, the connection test and the pollers.
 */
import { newMailServer, type MailServer, type MailServerType } from '../../lambdas/core/mailboxes/server.ts';
import type { DovecotPorts } from './dovecot.ts';
import { imapServerSettings } from './mail-servers.ts';

/** implicit: TLS from the first byte; starttls: plain port, STARTTLS/STLS required; opportunistic: plain port, upgrade when offered. */
export type TlsMode = 'implicit' | 'starttls' | 'opportunistic';

const PORTS: Readonly<Record<MailServerType, { tls: keyof DovecotPorts; plain: keyof DovecotPorts }>> = {
  imap: { tls: 'imaps', plain: 'imap' },
  pop3: { tls: 'pop3s', plain: 'pop3' },
  // Dovecot's submission has no implicit-TLS listener: an implicit SMTP record needs its own host and port.
  smtp: { tls: 'submission', plain: 'submission' },
};

/**
 * An enabled server record of `type` reaching `dovecot` in `mode` as `user`; `over` replaces any
 * field (host, port, sniServerName ...). Dovecot's submission listens plain with STARTTLS only, so
 * SMTP has no implicit mode here. @default mode 'implicit' (SMTP: 'starttls'), user support@example.test
 */
export function dovecotServer(
  dovecot: { host: string; ports: DovecotPorts },
  type: MailServerType,
  mode: TlsMode = type === 'smtp' ? 'starttls' : 'implicit',
  over: Partial<MailServer> = {},
): MailServer {
  const tls = mode === 'implicit';
  const settings = imapServerSettings({
    type,
    name: `Dovecot ${type} ${mode}`,
    host: dovecot.host,
    port: dovecot.ports[tls ? PORTS[type].tls : PORTS[type].plain],
    tls,
    requireStartTls: mode === 'starttls',
    sniServerName: 'localhost',
    user: 'support@example.test',
    ...(type === 'imap' ? { imapFolder: 'INBOX' } : { imapFolder: undefined }),
    ...(type === 'smtp' && { routing: undefined }),
  });
  return { ...newMailServer(settings, `srv-${type}-${mode}`, '2026-11-26T00:00:00.000Z'), ...over };
}
