/**
 * SMTP integrations (issue 11 item 5; SPEC OUT-4, OUT-5; seed smtp-campaign-best-practices.de.txt):
 * an SMTP integration IS a registry SMTP server (`SRV#<id>`, type smtp) plus its sending settings
 * (messages per minute, a provider preset) and its sending state (valid or error, with the last
 * error), kept as `SMTPI#<serverId>`. This module holds the rules: presets, defaults, validation of
 * an update, the join with the registry record, and when a save resets the state. The sending
 * state is the sender's; what admins see joins it with the server's state (smtp-integration-status.ts).
 */
import { ERROR_REASONS as R } from '../error-reasons.ts';
import { ValidationError } from '../errors.ts';
import { assertNoProblems, problem, type FieldProblems } from '../field-problems.ts';
import type { MailServer } from '../mailboxes/server.ts';
import type { SmtpIntegration } from './outbound-ports.ts';
import type { OutboxFailure } from './outbox.ts';
import { smtpIntegrationHealth } from './smtp-integration-status.ts';

/** Limits of SMTP integrations. */
export const SMTP_INTEGRATION_LIMITS = {
  /** Seed 004: at most 20 SMTP integrations per organisation (= 20 SMTP servers in the registry). */
  maxIntegrations: 20,
  /** Fewer than one message a minute is no sending at all; the token bucket works in whole messages. */
  minMessagesPerMinute: 1,
  /** Far above any mailbox provider's limit; a server sending more should be SES, not a relay. */
  maxMessagesPerMinute: 1000,
} as const;

/** Known providers' per-minute limits; `custom` takes the admin's number. */
export type SmtpPreset = 'microsoft365' | 'google-workspace' | 'custom';

/** The rate of each non-custom preset, in messages per minute. */
export const SMTP_PRESET_RATES: Readonly<Record<Exclude<SmtpPreset, 'custom'>, number>> = {
  /** Exchange Online: 30 messages per minute per mailbox (its sending limits), beyond which it answers 4.3.2 throttling. */
  microsoft365: 30,
  /**
   * Google publishes a daily limit (2,000 messages per user per day through smtp.gmail.com), not a
   * per-minute one; 20 a minute keeps a burst well inside what Gmail accepts without throttling.
   */
  'google-workspace': 20,
};

/**
 * The rate of an integration nobody configured: Microsoft 365's 30 per minute, the strictest
 * preset we know, so a new integration never gets its mailbox throttled.
 */
export const DEFAULT_MESSAGES_PER_MINUTE = SMTP_PRESET_RATES.microsoft365;

/** What `SMTPI#<serverId>` stores (no secret: credentials stay in the registry's secret store). */
export interface SmtpIntegrationRecord {
  readonly serverId: string;
  readonly messagesPerMinute: number;
  readonly preset: SmtpPreset;
  readonly state: 'valid' | 'error';
  readonly lastError?: OutboxFailure;
  readonly updatedAt: string;
}

/** An admin's change: either field may be left out. */
export interface SmtpIntegrationUpdate {
  readonly messagesPerMinute?: number;
  readonly preset?: SmtpPreset;
}

/** The record of a server that has none yet: the defaults, valid. */
export function defaultSmtpIntegrationRecord(serverId: string, at: string): SmtpIntegrationRecord {
  return { serverId, messagesPerMinute: DEFAULT_MESSAGES_PER_MINUTE, preset: 'custom', state: 'valid', updatedAt: at };
}

/**
 * The settings after `update` over `current`. A preset other than custom sets its rate; a rate
 * alone makes the preset custom; a preset with a different rate is refused (field `messagesPerMinute`).
 * @throws ValidationError per field (`smtp-integration.rate-invalid`, `smtp-integration.preset-conflict`)
 */
export function applySmtpIntegrationUpdate(current: SmtpIntegrationRecord, update: SmtpIntegrationUpdate, at: string): SmtpIntegrationRecord {
  const problems: FieldProblems = {};
  const { minMessagesPerMinute: min, maxMessagesPerMinute: max } = SMTP_INTEGRATION_LIMITS;
  const rate = update.messagesPerMinute;
  if (rate !== undefined && (!Number.isInteger(rate) || rate < min || rate > max)) {
    problems.messagesPerMinute = problem(R.smtpIntegrationRateInvalid, `must be a whole number from ${min} to ${max}`);
  }
  const preset = update.preset ?? (rate !== undefined ? 'custom' : current.preset);
  const presetRate = preset === 'custom' ? undefined : SMTP_PRESET_RATES[preset];
  if (presetRate !== undefined && rate !== undefined && rate !== presetRate && problems.messagesPerMinute === undefined) {
    problems.messagesPerMinute = problem(R.smtpIntegrationPresetConflict, `preset ${preset} sends ${presetRate} per minute; use preset custom for another rate`);
  }
  assertNoProblems(problems);
  return { ...current, preset, messagesPerMinute: presetRate ?? rate ?? current.messagesPerMinute, updatedAt: at };
}

/** The addresses a server sends as (seed 002 step 9): its user when it is an address, and its additional senders; lower-case. */
export function sendersOf(server: Pick<MailServer, 'user' | 'additionalSenders'>): string[] {
  const user = server.user.trim().toLowerCase();
  const all = [...(/^[^\s@]+@[^\s@]+$/.test(user) ? [user] : []), ...(server.additionalSenders ?? []).map((a) => a.toLowerCase())];
  return [...new Set(all)];
}

/** The integration of an SMTP server and its record (the defaults when it has none), with the problem of its status. */
export function smtpIntegrationOf(server: MailServer, record: SmtpIntegrationRecord | undefined): SmtpIntegration {
  const r = record ?? defaultSmtpIntegrationRecord(server.id, server.updatedAt);
  const health = smtpIntegrationHealth(server, r);
  return {
    serverId: server.id,
    name: server.name,
    enabled: server.enabled,
    senders: sendersOf(server),
    role: server.role,
    state: r.state,
    ...(r.lastError && { lastError: r.lastError }),
    messagesPerMinute: r.messagesPerMinute,
    ...(health.problem && { problem: health.problem }),
  };
}

/** What a save of an SMTP server changed, as the registry tells its onSaved hook. */
export interface SmtpServerSave {
  /** The record before the save; undefined for a new server. */
  readonly previous?: MailServer;
  readonly saved: MailServer;
  /** A new password or OAuth2 client secret / private key was stored with this save. */
  readonly credentialsChanged: boolean;
}

/**
 * Seed 004 / OUT-5: saving fixed credentials, or toggling the integration off and on (this save
 * turns a disabled server on), resets the state to valid and resumes the held sends at once. Only
 * an enabled SMTP server is reset: a disabled one sends nothing, and its turning on resets it then.
 */
export function resetsSmtpIntegration(save: SmtpServerSave): boolean {
  const { previous, saved } = save;
  if (saved.type !== 'smtp' || !saved.enabled) return false;
  return save.credentialsChanged || previous === undefined || !previous.enabled;
}

/**
 * Seed 004: at most {@link SMTP_INTEGRATION_LIMITS.maxIntegrations} SMTP integrations, i.e. SMTP
 * servers in the registry. Saving `serverId` as type `type` must not make one more than that.
 * (Two admins adding the 20th and 21st at the same instant could both pass: a registry of 20 is
 * an admin's list, and the rule guards the deployment's sending, not a security boundary.)
 * @throws ValidationError on `type` (`mail-server.smtp-limit-reached`)
 */
export function assertSmtpServerRoom(type: MailServer['type'], serverId: string, servers: readonly Pick<MailServer, 'id' | 'type'>[]): void {
  if (type !== 'smtp') return;
  const others = servers.filter((s) => s.type === 'smtp' && s.id !== serverId).length;
  const max = SMTP_INTEGRATION_LIMITS.maxIntegrations;
  if (others >= max) {
    throw new ValidationError({ type: `at most ${max} SMTP servers per deployment; ${others} exist already` }, {}, { type: R.mailServerSmtpLimitReached });
  }
}
