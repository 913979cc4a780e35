/**
 * The POP3 login exchanges against a scripted server: USER/PASS when CAPA offers no SASL PLAIN
 * (Dovecot always offers it, so the integration tests take AUTH PLAIN), and XOAUTH2's error
 * continuation (RFC 5034 4 / Google's XOAUTH2: answer the base64 JSON challenge with an empty line).
 */
import { describe, expect, it } from 'vitest';
import { MailConnectionError } from '../../../../lambdas/core/mailboxes/connection.ts';
import { pop3Login, type Pop3AuthChannel } from '../../../../lambdas/adapters/mailboxes/pop3-auth.ts';

/** A server that answers each line the client writes with the next scripted reply. */
function scripted(replies: string[]): Pop3AuthChannel & { sent: string[] } {
  const sent: string[] = [];
  const queue = [...replies];
  const readLine = async () => queue.shift() ?? '-ERR script ended';
  return {
    sent,
    writeLine: (line) => void sent.push(line),
    readLine,
    async send(line, onErr) {
      sent.push(line);
      const reply = await readLine();
      if (!reply.startsWith('+OK')) throw onErr(reply.replace(/^-ERR\s*/, ''));
      return reply;
    },
  };
}

describe('pop3Login', () => {
  it('uses USER and PASS when CAPA lists no SASL PLAIN', async () => {
    const server = scripted(['+OK user', '+OK logged in']);
    await pop3Login(server, { kind: 'password', user: 'a@example.com', password: 'pass with spaces' }, new Map([['USER', []]]));
    expect(server.sent).toEqual(['USER a@example.com', 'PASS pass with spaces']);
  });

  it('refuses a -ERR on PASS as authentication, without the password', async () => {
    const server = scripted(['+OK user', '-ERR [AUTH] Authentication failed.']);
    const failure = await pop3Login(server, { kind: 'password', user: 'a@example.com', password: 'hunter22' }, new Map()).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MailConnectionError);
    expect(failure).toMatchObject({ reason: 'authentication', message: 'the server refused the user name or password (the server said: [AUTH] Authentication failed.)' });
  });

  it('answers an XOAUTH2 error challenge with an empty line and reports the JSON status', async () => {
    const challenge = Buffer.from('{"status":"401","schemes":"bearer","scope":"https://mail.google.com/"}').toString('base64');
    const server = scripted([`+ ${challenge}`, '-ERR [AUTH] Invalid credentials']);
    const failure = await pop3Login(server, { kind: 'oauth2', user: 'a@example.com', accessToken: 'ya29.tok' }, new Map()).catch((e: unknown) => e);
    expect(server.sent).toEqual([`AUTH XOAUTH2 ${Buffer.from('user=a@example.com\x01auth=Bearer ya29.tok\x01\x01').toString('base64')}`, '']);
    expect(failure).toMatchObject({ reason: 'authentication', message: expect.stringContaining('"status":"401"') });
    expect((failure as Error).message).not.toContain('ya29.tok');
  });

  it('refuses a user name with a line break before sending anything', async () => {
    const server = scripted([]);
    await expect(pop3Login(server, { kind: 'password', user: 'a\r\nDELE 1', password: 'x' }, new Map())).rejects.toMatchObject({ reason: 'authentication' });
    expect(server.sent).toEqual([]);
  });
});
