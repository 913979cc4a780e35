/**
 * The rules of a mail server's OAuth2 settings and backfill window (issue 10 items 3 and 5), kept
 * apart from server-rules.ts so that file stays about the seed's fields. Basic checks only: the
 * OAuth2 settings are present exactly when the server authenticates with OAuth2, name a known
 * provider and flow and a client id; the OAuth2 part of the system checks endpoints and scopes.
 */
import { ERROR_REASONS as R } from '../error-reasons.ts';
import { problem, type FieldProblems } from '../field-problems.ts';
import type { OAuth2Flow, OAuth2Provider } from './oauth2-settings.ts';
import { isInboundType, type MailServerSettings } from './server.ts';
import { charCount, hasControlCharacters } from './server-text.ts';

/** Limits of the OAuth2 settings and the backfill window. */
export const MAIL_SERVER_OPTION_LIMITS = {
  /**
   * An OAuth2 client id: Microsoft's are GUIDs (36), Google's about 75 characters, a service
   * account's client_email at most 254 (an address); 255 matches the seed's other login fields.
   */
  maxClientIdChars: 255,
  /**
   * How far back the first poll of a new inbound server fetches, in days: a year at most. Why: the
   * backfill exists so a new server does not import years of history (and acknowledge it to
   * customers); a year is already far more than any helpdesk imports by default.
   */
  maxBackfillDays: 365,
} as const;

const PROVIDERS: ReadonlySet<OAuth2Provider> = new Set(['microsoft', 'google', 'custom']);
const FLOWS: ReadonlySet<OAuth2Flow> = new Set(['authorization-code', 'client-credentials', 'service-account']);

/** The OAuth2 settings' problems, keyed `oauth2`, `oauth2.provider`, `oauth2.flow`, `oauth2.clientId`. */
export function oauth2Problems(s: MailServerSettings): FieldProblems {
  const o = s.oauth2;
  if (s.authType !== 'oauth2') return o ? { oauth2: problem(R.mailServerOAuth2NotAllowed, 'only with OAuth2 authentication') } : {};
  if (!o) return { oauth2: problem(R.mailServerOAuth2Required, 'required with OAuth2 authentication: provider, flow and client id') };
  const fields: FieldProblems = {};
  if (!PROVIDERS.has(o.provider)) fields['oauth2.provider'] = problem(R.valueOutOfRange, 'must be microsoft, google or custom');
  if (!FLOWS.has(o.flow)) fields['oauth2.flow'] = problem(R.valueOutOfRange, 'must be authorization-code, client-credentials or service-account');
  const id = typeof o.clientId === 'string' ? o.clientId : '';
  if (hasControlCharacters(id)) fields['oauth2.clientId'] = problem(R.mailServerTextInvalid, 'must not hold control characters or line breaks');
  else if (charCount(id) < 1 || charCount(id) > MAIL_SERVER_OPTION_LIMITS.maxClientIdChars) {
    fields['oauth2.clientId'] = problem(R.valueOutOfRange, `must be 1-${MAIL_SERVER_OPTION_LIMITS.maxClientIdChars} characters`);
  }
  return fields;
}

/** The backfill window: inbound servers only, a whole number of days from 0 to the limit. */
export function backfillProblems(s: MailServerSettings): FieldProblems {
  if (s.backfillDays === undefined) return {};
  if (!isInboundType(s.type)) return { backfillDays: problem(R.mailServerOptionNotForType, 'only for POP3 and IMAP servers') };
  const max = MAIL_SERVER_OPTION_LIMITS.maxBackfillDays;
  if (!Number.isInteger(s.backfillDays) || s.backfillDays < 0 || s.backfillDays > max) {
    return { backfillDays: problem(R.valueOutOfRange, `must be a whole number of days from 0 to ${max}`) };
  }
  return {};
}
