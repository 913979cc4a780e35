/**
 * Environment of the Lambdas, read once at cold start by validating getters: a missing or bad
 * variable fails the cold start with the variable's name, never a later invocation.
 * Each construct sets these in exactly one place (lib/), under the names of contract/environment.ts.
 */
import { ENV } from '../../contract/environment.ts';
import { DOMAIN_LIMITS } from '../../contract/recipient-domains.ts';
import { MAX_THREAD_WINDOW_DAYS, MIN_THREAD_WINDOW_DAYS, parseLanguageList } from '../../contract/routing-settings.ts';

/** The trimmed value of `name`. @throws Error naming the variable when it is missing or blank */
export function read(name: string, source: NodeJS.ProcessEnv): string {
  const value = source[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`environment variable ${name} is required`);
  }
  return value.trim();
}

export interface TablesEnv {
  readonly interactionsTable: string;
  readonly queuesTable: string;
  readonly configTable: string;
}

export function tablesEnv(source: NodeJS.ProcessEnv = process.env): TablesEnv {
  return {
    interactionsTable: read(ENV.interactionsTable, source),
    queuesTable: read(ENV.queuesTable, source),
    configTable: read(ENV.configTable, source),
  };
}

export interface RoutingEnv extends TablesEnv {
  readonly mailBucket: string;
  readonly defaultQueueId: string;
  readonly defaultPriority: number;
  /** Unset in the environment: core's default (30 days). */
  readonly threadWindowDays?: number;
  /** ISO 639-1 codes detection chooses among; unset: the detector's default list. */
  readonly languages?: readonly string[];
  /** The outbound queue acknowledgements are announced on; unset: the reconciler's sweep finds them. */
  readonly outboundQueueUrl?: string;
  /** The bounce domain of VERP return paths (ENV.returnPathDomain); unset: no VERP bounces are read. */
  readonly returnPathDomain?: string;
}

export function routingEnv(source: NodeJS.ProcessEnv = process.env): RoutingEnv {
  const priority = Number(read(ENV.defaultPriority, source));
  if (!Number.isInteger(priority)) throw new Error(`environment variable ${ENV.defaultPriority} must be an integer`);
  return {
    ...tablesEnv(source),
    mailBucket: read(ENV.mailBucket, source),
    defaultQueueId: read(ENV.defaultQueueId, source),
    defaultPriority: priority,
    ...threadWindow(source),
    ...languagesOf(source),
    ...(source[ENV.outboundQueueUrl]?.trim() && { outboundQueueUrl: source[ENV.outboundQueueUrl]!.trim() }),
    ...(source[ENV.returnPathDomain]?.trim() && { returnPathDomain: source[ENV.returnPathDomain]!.trim().toLowerCase() }),
  };
}

/** The routing settings the flow dry run decides with, as routing has them. */
export interface RoutingSettingsEnv {
  readonly defaultQueueId: string;
  readonly defaultPriority: number;
  readonly languages?: readonly string[];
  readonly threadWindowDays?: number;
}

/**
 * The routing settings (DEFAULT_QUEUE_ID, DEFAULT_PRIORITY, ROUTING_LANGUAGES, THREAD_WINDOW_DAYS)
 * for a Lambda that only may have them (the admin API's flow dry run); undefined when
 * DEFAULT_QUEUE_ID is unset. @throws Error naming a variable that is set but invalid
 */
export function routingSettingsEnv(source: NodeJS.ProcessEnv = process.env): RoutingSettingsEnv | undefined {
  if (!source[ENV.defaultQueueId]?.trim()) return undefined;
  const priority = Number(source[ENV.defaultPriority]?.trim() || '0');
  if (!Number.isInteger(priority)) throw new Error(`environment variable ${ENV.defaultPriority} must be an integer`);
  return { defaultQueueId: read(ENV.defaultQueueId, source), defaultPriority: priority, ...languagesOf(source), ...threadWindow(source) };
}

/** ROUTING_LANGUAGES, optional: comma-separated ISO 639-1 codes (`en,de,fr`), lower-cased. */
function languagesOf(source: NodeJS.ProcessEnv): { languages?: readonly string[] } {
  const raw = source[ENV.languages];
  if (raw === undefined || raw.trim() === '') return {};
  const languages = parseLanguageList(raw);
  if (!languages) throw new Error(`environment variable ${ENV.languages} must list ISO 639-1 codes, e.g. en,de,fr`);
  return { languages };
}

/** THREAD_WINDOW_DAYS, optional: a whole number of days from 1 to 30. */
function threadWindow(source: NodeJS.ProcessEnv): { threadWindowDays?: number } {
  const raw = source[ENV.threadWindowDays];
  if (raw === undefined || raw.trim() === '') return {};
  const days = Number(raw);
  if (!Number.isInteger(days) || days < MIN_THREAD_WINDOW_DAYS || days > MAX_THREAD_WINDOW_DAYS) {
    throw new Error(
      `environment variable ${ENV.threadWindowDays} must be a whole number of days from ${MIN_THREAD_WINDOW_DAYS} to ${MAX_THREAD_WINDOW_DAYS}`,
    );
  }
  return { threadWindowDays: days };
}

export interface ReconcilerEnv {
  readonly interactionsTable: string;
  readonly mailBucket: string;
  /** Where the served domains are stored, for the To/Cc fallback when a stored message does not name its envelope recipient. */
  readonly configTable: string;
  /** Where recovery records go: the queue the routing Lambda consumes. */
  readonly inboundQueueUrl: string;
  /** The outbound queue the outbox sweep announces lost records on; unset: no sweep. */
  readonly outboundQueueUrl?: string;
}

/** The reconciler Lambda's environment (lib/constructs/reconciler.ts sets it). */
export function reconcilerEnv(source: NodeJS.ProcessEnv = process.env): ReconcilerEnv {
  return {
    interactionsTable: read(ENV.interactionsTable, source),
    mailBucket: read(ENV.mailBucket, source),
    configTable: read(ENV.configTable, source),
    inboundQueueUrl: read(ENV.inboundQueueUrl, source),
    ...(source[ENV.outboundQueueUrl]?.trim() && { outboundQueueUrl: source[ENV.outboundQueueUrl]!.trim() }),
  };
}

/**
 * CONTENT_DELIVERY: how the API hands out stored mail. `presign` (default; set by the AdminApi
 * construct): short-lived presigned S3 URLs. `stream` (the local runtime): the API streams objects.
 */
export function contentDeliveryEnv(source: NodeJS.ProcessEnv = process.env): 'presign' | 'stream' {
  const raw = source[ENV.contentDelivery]?.trim();
  if (raw === undefined || raw === '' || raw === 'presign') return 'presign';
  if (raw === 'stream') return 'stream';
  throw new Error(`environment variable ${ENV.contentDelivery} must be 'presign' or 'stream'`);
}

/** The dead-letter recorder's environment: where dead letters and their large bodies go. */
export interface DeadLetterRecorderEnv {
  readonly interactionsTable: string;
  readonly deadLetterBucket: string;
}

export function deadLetterRecorderEnv(source: NodeJS.ProcessEnv = process.env): DeadLetterRecorderEnv {
  return { interactionsTable: read(ENV.interactionsTable, source), deadLetterBucket: read(ENV.deadLetterBucket, source) };
}

/** The SES feedback Lambda's environment: the interactions table (outbox records, suppressions). */
export function sesFeedbackEnv(source: NodeJS.ProcessEnv = process.env): { readonly interactionsTable: string } {
  return { interactionsTable: read(ENV.interactionsTable, source) };
}

/** What redriving dead letters needs besides the tables: the inbound queue and the large bodies' bucket. */
export interface RedriveEnv {
  readonly inboundQueueUrl: string;
  readonly deadLetterBucket: string;
}

/**
 * INBOUND_QUEUE_URL and DEAD_LETTER_BUCKET of the API Lambda, both or neither (the DeadLetters
 * construct sets both). Neither: undefined, and the API lists dead letters but answers redrives
 * with 503 `redrive-unavailable`. Only one: the cold start fails with its name.
 */
export function redriveEnv(source: NodeJS.ProcessEnv = process.env): RedriveEnv | undefined {
  const set = (name: string) => (source[name] ?? '').trim() !== '';
  if (!set(ENV.inboundQueueUrl) && !set(ENV.deadLetterBucket)) return undefined;
  return { inboundQueueUrl: read(ENV.inboundQueueUrl, source), deadLetterBucket: read(ENV.deadLetterBucket, source) };
}

/** What the domain registry (adapters/domain-service-env.ts) is wired with. */
export interface DomainRegistryEnv {
  readonly configTable: string;
  /** AWS_REGION, which Lambda sets: SES receives and sends there, and the MX records name it. */
  readonly region: string;
  /** MAX_DOMAINS, 1 to DOMAIN_LIMITS.maxDomainsCeiling. @default DOMAIN_LIMITS.defaultMaxDomains (2) */
  readonly maxDomains: number;
  /** SES_CONFIGURATION_SET, every identity's configuration set. @default none */
  readonly configurationSetName?: string;
}

/** The domain registry's environment: the config table, the region, the domain limit and the configuration set. */
export function domainRegistryEnv(source: NodeJS.ProcessEnv = process.env): DomainRegistryEnv {
  const raw = source[ENV.maxDomains]?.trim();
  const maxDomains = raw ? Number(raw) : DOMAIN_LIMITS.defaultMaxDomains;
  if (!Number.isInteger(maxDomains) || maxDomains < 1 || maxDomains > DOMAIN_LIMITS.maxDomainsCeiling) {
    throw new Error(`environment variable ${ENV.maxDomains} must be a whole number from 1 to ${DOMAIN_LIMITS.maxDomainsCeiling}`);
  }
  const configurationSetName = source[ENV.sesConfigurationSet]?.trim();
  return {
    configTable: read(ENV.configTable, source),
    region: read('AWS_REGION', source),
    maxDomains,
    ...(configurationSetName && { configurationSetName }),
  };
}

/** OAUTH2_REDIRECT_URI, optional: the admin API's `/oauth2/callback` URL (lib/constructs/admin-api.ts sets it). */
export function oauth2RedirectUriEnv(source: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = source[ENV.oauth2RedirectUri]?.trim();
  if (!value) return undefined;
  if (!/^https:\/\/[^\s]+\/oauth2\/callback$/.test(value)) throw new Error(`${ENV.oauth2RedirectUri} must be an https URL ending in /oauth2/callback, got ${value}`);
  return value;
}
