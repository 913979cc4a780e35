/**
 * OAuth2 settings and the backfill window: present only where they belong, within their limits,
 * each problem on its own field path.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_REASONS as R } from '../../../../lambdas/core/error-reasons.ts';
import { MAIL_SERVER_OPTION_LIMITS as L } from '../../../../lambdas/core/mailboxes/server-option-rules.ts';
import { mailServerProblems, normalizeMailServer, type MailServerInput } from '../../../../lambdas/core/mailboxes/server-rules.ts';
import { imapServerInput, mailServerContext, smtpServerInput } from '../../../support/mail-servers.ts';

const reasonsOf = (input: MailServerInput) =>
  Object.fromEntries(Object.entries(mailServerProblems(normalizeMailServer(input), mailServerContext())).map(([k, p]) => [k, p.reason]));
const oauth = (over: Record<string, unknown> = {}) => ({ authType: 'oauth2' as const, password: undefined, oauth2: { provider: 'google', flow: 'service-account', clientId: 'sa@p.iam.gserviceaccount.com', ...over } as never });

describe('mail server option rules', () => {
  it('needs OAuth2 settings exactly with OAuth2 authentication', () => {
    expect(reasonsOf(imapServerInput(oauth()))).toEqual({});
    expect(reasonsOf(imapServerInput({ authType: 'oauth2', password: undefined }))).toEqual({ oauth2: R.mailServerOAuth2Required });
    expect(reasonsOf(imapServerInput({ oauth2: oauth().oauth2 }))).toEqual({ oauth2: R.mailServerOAuth2NotAllowed });
  });

  it('checks provider, flow and the client id in code points', () => {
    expect(reasonsOf(imapServerInput(oauth({ provider: 'yahoo', flow: 'implicit' })))).toEqual({ 'oauth2.provider': R.valueOutOfRange, 'oauth2.flow': R.valueOutOfRange });
    expect(reasonsOf(imapServerInput(oauth({ clientId: '😀'.repeat(L.maxClientIdChars) })))).toEqual({});
    expect(reasonsOf(imapServerInput(oauth({ clientId: '😀'.repeat(L.maxClientIdChars + 1) })))).toEqual({ 'oauth2.clientId': R.valueOutOfRange });
    expect(reasonsOf(imapServerInput(oauth({ clientId: '' })))).toEqual({ 'oauth2.clientId': R.valueOutOfRange });
    expect(reasonsOf(imapServerInput(oauth({ clientId: 'a\nb' })))).toEqual({ 'oauth2.clientId': R.mailServerTextInvalid });
  });

  it('takes a backfill of 0 to 365 whole days, on inbound servers only', () => {
    for (const days of [0, 7, L.maxBackfillDays]) expect(reasonsOf(imapServerInput({ backfillDays: days })), String(days)).toEqual({});
    for (const days of [-1, 1.5, L.maxBackfillDays + 1]) expect(reasonsOf(imapServerInput({ backfillDays: days })), String(days)).toEqual({ backfillDays: R.valueOutOfRange });
    expect(reasonsOf(smtpServerInput({ backfillDays: 7 }))).toEqual({ backfillDays: R.mailServerOptionNotForType });
  });
});
