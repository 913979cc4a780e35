/**
 * Failure classification for the errors loopback cannot produce (temporary DNS failure, no route,
 * reset, expired certificate, nodemailer's wrapped codes) and the cleaning of server texts.
 */
import { describe, expect, it } from 'vitest';
import { MailConnectionError, type MailCredentials } from '../../../../lambdas/core/mailboxes/connection.ts';
import { classifyConnectionError, cleanServerText, MAX_SERVER_TEXT_CHARS } from '../../../../lambdas/adapters/mailboxes/connection-errors.ts';

const ctx = { host: 'mail.example.com', port: 993 };
const sysError = (code: string, extra: object = {}) => Object.assign(new Error(`${code} something`), { code, ...extra });

describe('classifyConnectionError', () => {
  it.each([
    [sysError('EAI_AGAIN'), 'dns', 'the host name mail.example.com could not be resolved just now (DNS temporary failure)'],
    [sysError('EHOSTUNREACH'), 'tcp', 'mail.example.com:993 cannot be reached (no network route)'],
    [sysError('ECONNRESET'), 'tcp', 'the connection to mail.example.com:993 was closed unexpectedly (TCP reset)'],
    [sysError('CONNECT_TIMEOUT'), 'timeout', 'mail.example.com:993 did not answer in time (timeout)'],
    [sysError('CERT_HAS_EXPIRED'), 'tls-certificate', "the server's TLS certificate is not trusted: expired"],
    [sysError('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'tls-certificate', "the server's TLS certificate is not trusted: issued by an authority this system does not know (or the server omits its intermediate certificate)"],
    // nodemailer: its own code outside, the system's as originalCode
    [sysError('ESOCKET', { originalCode: 'ECONNREFUSED' }), 'tcp', 'nothing answers on mail.example.com:993 (TCP connection refused)'],
    [sysError('EDNS', { originalCode: 'ENOTFOUND' }), 'dns', 'the host name mail.example.com does not resolve (DNS)'],
    [new Error('Error initiating TLS - self-signed certificate'), 'tls-certificate', "the server's TLS certificate is not trusted: self-signed"],
    [Object.assign(new Error('Invalid login'), { code: 'EAUTH', response: '535 5.7.8 Authentication credentials invalid', responseCode: 535 }), 'authentication', 'the server refused the user name or password (the server said: 535 5.7.8 Authentication credentials invalid)'],
    [Object.assign(new Error('Command failed'), { serverResponseCode: 'NONEXISTENT', responseText: "Mailbox doesn't exist: Support" }), 'folder-missing', 'the folder Support does not exist on the server'],
    [new Error('BAD something odd'), 'protocol', 'the server on mail.example.com:993 answered unexpectedly (the server said: BAD something odd)'],
  ] as const)('%s -> %s', (error, reason, message) => {
    const failure = classifyConnectionError(error, { ...ctx, folder: 'Support' });
    expect(failure).toBeInstanceOf(MailConnectionError);
    expect({ reason: failure.reason, message: failure.message }).toEqual({ reason, message });
  });

  it('blanks out the password and the token, also base64-encoded, from a server text', () => {
    const credentials: MailCredentials = { kind: 'oauth2', user: 'a@example.com', accessToken: 'ya29.secret-token' };
    const sasl = Buffer.from('user=a@example.com\x01auth=Bearer ya29.secret-token\x01\x01').toString('base64');
    const echoed = `AUTHENTICATE failed for ya29.secret-token / ${Buffer.from('ya29.secret-token').toString('base64')} / ${sasl}`;
    const failure = classifyConnectionError(Object.assign(new Error(echoed), { authenticationFailed: true }), { ...ctx, credentials });
    expect(failure.reason).toBe('authentication');
    expect(failure.message).toContain('refused the OAuth2 access token for a@example.com');
    expect(failure.message).not.toContain('secret-token');
    expect(failure.message).not.toContain(Buffer.from('ya29.secret-token').toString('base64'));
    expect(failure.message).not.toContain(sasl);
  });
});

describe('cleanServerText', () => {
  it('turns control characters into spaces and cuts long texts', () => {
    expect(cleanServerText('line one\r\nforged: entry\u0007 end')).toBe('line one forged: entry end');
    const long = cleanServerText('x'.repeat(1_000));
    expect([...long]).toHaveLength(MAX_SERVER_TEXT_CHARS);
    expect(long.endsWith('…')).toBe(true);
  });
});
