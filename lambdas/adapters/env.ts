/**
 * Environment of the Lambdas, read once at cold start by validating getters: a missing or bad
 * variable fails the cold start with the variable's name, never a later invocation.
 * Each construct sets these in exactly one place (lib/).
 */
import { z } from 'zod';

export const ENV = {
  interactionsTable: 'INTERACTIONS_TABLE',
  queuesTable: 'QUEUES_TABLE',
  configTable: 'CONFIG_TABLE',
  mailBucket: 'MAIL_BUCKET',
  domains: 'RECIPIENT_DOMAINS',
  defaultQueueId: 'DEFAULT_QUEUE_ID',
  defaultPriority: 'DEFAULT_PRIORITY',
  threadWindowDays: 'THREAD_WINDOW_DAYS',
  inboundQueueUrl: 'INBOUND_QUEUE_URL',
  deadLetterBucket: 'DEAD_LETTER_BUCKET',
} as const;

function read(name: string, source: NodeJS.ProcessEnv): string {
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
  readonly domains: readonly string[];
  readonly defaultQueueId: string;
  readonly defaultPriority: number;
  /** Unset in the environment: core's default (30 days). */
  readonly threadWindowDays?: number;
}

const domainList = z
  .string()
  .transform((s) => s.split(',').map((d) => d.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/)).min(1));

/**
 * The organisation's mail domains (RECIPIENT_DOMAINS, comma-separated, lower-cased). Why the API
 * needs them too: an address route is valid only on one of these domains (ADR-1).
 */
export function domainsEnv(source: NodeJS.ProcessEnv = process.env): readonly string[] {
  const domains = domainList.safeParse(read(ENV.domains, source));
  if (!domains.success) throw new Error(`environment variable ${ENV.domains} must list domain names`);
  return domains.data;
}

export function routingEnv(source: NodeJS.ProcessEnv = process.env): RoutingEnv {
  const domains = domainList.safeParse(read(ENV.domains, source));
  if (!domains.success) throw new Error(`environment variable ${ENV.domains} must list domain names`);
  const priority = Number(read(ENV.defaultPriority, source));
  if (!Number.isInteger(priority)) throw new Error(`environment variable ${ENV.defaultPriority} must be an integer`);
  return {
    ...tablesEnv(source),
    mailBucket: read(ENV.mailBucket, source),
    domains: domains.data,
    defaultQueueId: read(ENV.defaultQueueId, source),
    defaultPriority: priority,
    ...threadWindow(source),
  };
}

/** THREAD_WINDOW_DAYS, optional: a whole number of days from 1 to 30. */
function threadWindow(source: NodeJS.ProcessEnv): { threadWindowDays?: number } {
  const raw = source[ENV.threadWindowDays];
  if (raw === undefined || raw.trim() === '') return {};
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1 || days > 30) {
    throw new Error(`environment variable ${ENV.threadWindowDays} must be a whole number of days from 1 to 30`);
  }
  return { threadWindowDays: days };
}

/** The dead-letter recorder's environment: where dead letters and their large bodies go. */
export interface DeadLetterRecorderEnv {
  readonly interactionsTable: string;
  readonly deadLetterBucket: string;
}

export function deadLetterRecorderEnv(source: NodeJS.ProcessEnv = process.env): DeadLetterRecorderEnv {
  return { interactionsTable: read(ENV.interactionsTable, source), deadLetterBucket: read(ENV.deadLetterBucket, source) };
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
