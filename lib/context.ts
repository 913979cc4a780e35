/**
 * The deployment settings of a Postroom app, read from CDK context (`cdk.json` or `-c key=value`)
 * and validated once, so a wrong value fails `cdk synth` with the key's name instead of surfacing as
 * a broken deployment.
 */
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { TlsPolicy } from 'aws-cdk-lib/aws-ses';
import {
  DEFAULT_LANGUAGES,
  DEFAULT_THREAD_WINDOW_DAYS,
  MAX_THREAD_WINDOW_DAYS,
  MIN_THREAD_WINDOW_DAYS,
  parseLanguageList,
} from '../contract/routing-settings.ts';
import { ContextError } from './context-error.ts';
import { DOMAIN_KEYS, domainSettingsOf, returnPathDomainOf, type DeclaredDomain } from './context-domains.ts';
import { CONSOLE_KEYS, consoleSettingsOf, type ConsoleSettings } from './context-console.ts';
import { RULE_SET_KEYS, ruleSetChoiceOf } from './context-rule-set.ts';

export { ContextError };
export type { DeclaredDomain };

/** The context keys Postroom reads; documented in cdk.json. */
export const CONTEXT_KEYS = {
  stackName: 'postroom:stackName',
  defaultQueueId: 'postroom:defaultQueueId',
  defaultPriority: 'postroom:defaultPriority',
  logRetentionDays: 'postroom:logRetentionDays',
  inboundTlsPolicy: 'postroom:inboundTlsPolicy',
  threadWindowDays: 'postroom:threadWindowDays',
  languages: 'postroom:languages',
  alarmEmail: 'postroom:alarmEmail',
  alarmTopicArn: 'postroom:alarmTopicArn',
  inboundAgeAlarmMinutes: 'postroom:inboundAgeAlarmMinutes',
  returnPathDomain: 'postroom:returnPathDomain',
  ...RULE_SET_KEYS,
  ...DOMAIN_KEYS,
  ...CONSOLE_KEYS,
} as const;

/** Defaults of the optional keys (the domain settings' defaults are in lib/context-domains.ts). */
export const CONTEXT_DEFAULTS = {
  stackName: 'Postroom',
  defaultQueueId: 'default',
  defaultPriority: 0,
  logRetentionDays: RetentionDays.THREE_MONTHS,
  inboundTlsPolicy: TlsPolicy.OPTIONAL,
  threadWindowDays: DEFAULT_THREAD_WINDOW_DAYS,
  languages: DEFAULT_LANGUAGES,
  inboundAgeAlarmMinutes: 15,
} as const;

/** Queue ids end up in DynamoDB keys (`Q#<id>`) and URLs: keep them short and unambiguous. */
const QUEUE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The validated settings of one Postroom deployment. */
export interface PostroomContext extends ConsoleSettings {
  readonly stackName: string;
  /** The domains the CDK app declares (may be none: the API adds domains). */
  readonly domains: readonly DeclaredDomain[];
  /** How many domains the organisation may serve, declared and API-added together. */
  readonly maxDomains: number;
  /** How often the scheduled domain check runs, in minutes. */
  readonly domainCheckMinutes: number;
  readonly defaultQueueId: string;
  readonly defaultPriority: number;
  readonly logRetention: RetentionDays;
  readonly inboundTlsPolicy: TlsPolicy;
  /** How long a reply still joins its interaction, 1 to 30 days. */
  readonly threadWindowDays: number;
  /** ISO 639-1 codes of the languages the organisation serves; detection chooses among them. */
  readonly languages: readonly string[];
  /** An e-mail address the alarms notify through a new encrypted topic; never with `alarmTopicArn`. */
  readonly alarmEmail?: string;
  /** An existing SNS topic the alarms notify; never with `alarmEmail`. */
  readonly alarmTopicArn?: string;
  /** The age of the oldest inbound message that alarms, 1 to 1440 minutes. */
  readonly inboundAgeAlarmMinutes: number;
  /** An existing rule set Postroom adds its rule to, leaving the active set as it is; absent: its own set, activated. */
  readonly receiptRuleSet?: string;
  /** Whether activating Postroom's own set may replace another active set; false: the deployment fails instead. */
  readonly replaceActiveRuleSet: boolean;
  /**
   * The bounce domain of the SMTP path's VERP return paths (`bounces+<outboxId>@<domain>`); a served
   * domain, so bounces reach ingest. Absent: SMTP sends use the From address as MAIL FROM.
   */
  readonly returnPathDomain?: string;
}


/**
 * Reads and validates the Postroom context. `read` is `app.node.tryGetContext` in the app and a
 * plain lookup in tests. The domain settings are read by lib/context-domains.ts (`postroom:domains`,
 * none by default; its deprecated alias `postroom:recipientDomains`; `postroom:maxDomains` 2;
 * `postroom:domainCheckMinutes` 15); everything else has a default: stack name 'Postroom', queue 'default',
 * priority 0, log retention 90 days, TLS 'Optional', languages en,de,fr,es,it,nl,pt,ja, inbound age alarm 15 minutes, no alarm target,
 * no existing receipt rule set (Postroom creates and activates its own), replaceActiveRuleSet false,
 * no return-path domain (`postroom:returnPathDomain`: SMTP sends use the From address as MAIL FROM),
 * the console's settings of lib/context-console.ts (none: a hosted UI prefix from the stack id, the CloudFront domain).
 */
export function readPostroomContext(read: (key: string) => unknown): PostroomContext {
  return {
    stackName: stackNameOf(read(CONTEXT_KEYS.stackName)),
    ...domainSettingsOf(read(CONTEXT_KEYS.domains), read(CONTEXT_KEYS.recipientDomains), read(CONTEXT_KEYS.maxDomains), read(CONTEXT_KEYS.domainCheckMinutes)),
    defaultQueueId: queueIdOf(read(CONTEXT_KEYS.defaultQueueId)),
    defaultPriority: priorityOf(read(CONTEXT_KEYS.defaultPriority)),
    logRetention: retentionOf(read(CONTEXT_KEYS.logRetentionDays)),
    inboundTlsPolicy: tlsPolicyOf(read(CONTEXT_KEYS.inboundTlsPolicy)),
    threadWindowDays: threadWindowOf(read(CONTEXT_KEYS.threadWindowDays)),
    languages: languagesOf(read(CONTEXT_KEYS.languages)),
    ...alarmTargetOf(read(CONTEXT_KEYS.alarmEmail), read(CONTEXT_KEYS.alarmTopicArn)),
    inboundAgeAlarmMinutes: ageAlarmOf(read(CONTEXT_KEYS.inboundAgeAlarmMinutes)),
    ...ruleSetChoiceOf(read(CONTEXT_KEYS.receiptRuleSet), read(CONTEXT_KEYS.replaceActiveRuleSet)),
    ...returnPathDomainOf(CONTEXT_KEYS.returnPathDomain, read(CONTEXT_KEYS.returnPathDomain)),
    ...consoleSettingsOf(read(CONTEXT_KEYS.authDomainPrefix), read(CONTEXT_KEYS.consoleDomainName), read(CONTEXT_KEYS.consoleCertificateArn)),
  };
}


/** An array of codes or a comma-separated string (as `-c` passes it); default {@link DEFAULT_LANGUAGES}. */
function languagesOf(value: unknown): readonly string[] {
  if (value === undefined) return CONTEXT_DEFAULTS.languages;
  const raw = typeof value === 'string' ? value : Array.isArray(value) && value.every((v) => typeof v === 'string') ? value.join(',') : undefined;
  const codes = raw === undefined ? undefined : parseLanguageList(raw);
  if (!codes) {
    throw new ContextError(`context ${CONTEXT_KEYS.languages} must list ISO 639-1 codes, e.g. -c ${CONTEXT_KEYS.languages}=en,de,fr, got ${String(value)}`);
  }
  return codes;
}

/** Deliberately simple: SES and SNS check deliverability; this only catches typos such as a missing @. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;

/** At most one alarm target: a new topic for an e-mail address, or an existing topic. */
function alarmTargetOf(email: unknown, topicArn: unknown): { alarmEmail?: string; alarmTopicArn?: string } {
  const { alarmEmail: emailKey, alarmTopicArn: arnKey } = CONTEXT_KEYS;
  if (email !== undefined && topicArn !== undefined) throw new ContextError(`context ${emailKey} and ${arnKey} exclude each other; set one`);
  if (email !== undefined) {
    if (typeof email !== 'string' || !EMAIL.test(email.trim())) throw new ContextError(`context ${emailKey} must be an e-mail address, got ${String(email)}`);
    return { alarmEmail: email.trim() };
  }
  if (topicArn !== undefined) {
    if (typeof topicArn !== 'string' || !SNS_TOPIC_ARN.test(topicArn)) throw new ContextError(`context ${arnKey} must be an SNS topic ARN, got ${String(topicArn)}`);
    return { alarmTopicArn: topicArn };
  }
  return {};
}

function ageAlarmOf(value: unknown): number {
  if (value === undefined) return CONTEXT_DEFAULTS.inboundAgeAlarmMinutes;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 1440) {
    throw new ContextError(`context ${CONTEXT_KEYS.inboundAgeAlarmMinutes} must be a whole number of minutes from 1 to 1440, got ${String(value)}`);
  }
  return n;
}

function threadWindowOf(value: unknown): number {
  if (value === undefined) return CONTEXT_DEFAULTS.threadWindowDays;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < MIN_THREAD_WINDOW_DAYS || n > MAX_THREAD_WINDOW_DAYS) {
    throw new ContextError(
      `context ${CONTEXT_KEYS.threadWindowDays} must be a whole number of days from ${MIN_THREAD_WINDOW_DAYS} to ${MAX_THREAD_WINDOW_DAYS}, got ${String(value)}`,
    );
  }
  return n;
}

function stackNameOf(value: unknown): string {
  if (value === undefined) return CONTEXT_DEFAULTS.stackName;
  // CloudFormation's own rule for stack names.
  if (typeof value !== 'string' || !/^[A-Za-z][A-Za-z0-9-]{0,127}$/.test(value)) {
    throw new ContextError(`context ${CONTEXT_KEYS.stackName} must be a CloudFormation stack name, got ${String(value)}`);
  }
  return value;
}

function queueIdOf(value: unknown): string {
  if (value === undefined) return CONTEXT_DEFAULTS.defaultQueueId;
  if (typeof value !== 'string' || !QUEUE_ID.test(value)) {
    throw new ContextError(`context ${CONTEXT_KEYS.defaultQueueId} must match ${QUEUE_ID}, got ${String(value)}`);
  }
  return value;
}

function priorityOf(value: unknown): number {
  if (value === undefined) return CONTEXT_DEFAULTS.defaultPriority;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new ContextError(`context ${CONTEXT_KEYS.defaultPriority} must be an integer, got ${String(value)}`);
  }
  return n;
}

function retentionOf(value: unknown): RetentionDays {
  if (value === undefined) return CONTEXT_DEFAULTS.logRetentionDays;
  const n = typeof value === 'string' ? Number(value) : value;
  const allowed = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number' && v > 0);
  if (typeof n !== 'number' || !allowed.includes(n)) {
    throw new ContextError(
      `context ${CONTEXT_KEYS.logRetentionDays} must be one of CloudWatch's retention periods (${allowed.join(', ')}), got ${String(value)}`,
    );
  }
  return n as RetentionDays;
}

function tlsPolicyOf(value: unknown): TlsPolicy {
  if (value === undefined) return CONTEXT_DEFAULTS.inboundTlsPolicy;
  if (value === 'Optional') return TlsPolicy.OPTIONAL;
  if (value === 'Require') return TlsPolicy.REQUIRE;
  throw new ContextError(`context ${CONTEXT_KEYS.inboundTlsPolicy} must be 'Optional' or 'Require', got ${String(value)}`);
}
